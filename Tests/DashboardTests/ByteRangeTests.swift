import Testing

@testable import ModImgDashboard

/// The `Range` header read as RFC 9110 has it, for the one range of bytes the dashboard serves.
@Suite struct ByteRangeTests {
    @Test func oneRangeOfBytesIsAPartAndAnythingPastTheEndIsUnsatisfiable() {
        #expect(ByteRange.of(nil, size: 10) == .whole)
        #expect(ByteRange.of("bytes=2-4", size: 10) == .part(2..<5))
        #expect(ByteRange.of("BYTES=2-", size: 10) == .part(2..<10))
        #expect(ByteRange.of("bytes=-3", size: 10) == .part(7..<10))
        #expect(ByteRange.of("bytes=8-99999999999999999999999", size: 10) == .part(8..<10))
        #expect(ByteRange.of("bytes=99999999999999999999999-", size: 10) == .unsatisfiable)
        #expect(ByteRange.of("bytes=0-0", size: 0) == .unsatisfiable)
        #expect(ByteRange.of("bytes=-5", size: 0) == .unsatisfiable)
        #expect(ByteRange.of("bytes=+1-2", size: 10) == .unsatisfiable)
        #expect(ByteRange.of("bytes=1 - 2", size: 10) == .unsatisfiable)
    }

    @Test func otherUnitsAndListsOfRangesAreIgnored() {
        #expect(ByteRange.of("items=0-1", size: 10) == .whole)
        #expect(ByteRange.of("bytes=0-1, 4-5", size: 10) == .whole)
    }
}
