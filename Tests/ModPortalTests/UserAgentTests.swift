import ModImgVersion
import Testing

@testable import ModPortal

@Suite struct UserAgentTests {
    @Test func theUserAgentCarriesThePackageVersion() {
        #expect(HTTPPortalClient.userAgent.hasPrefix("modimg-queue/\(ModImgVersion.current) "))
        #expect(HTTPPortalClient.userAgent.contains("not affiliated with Wube Software"))
    }
}
