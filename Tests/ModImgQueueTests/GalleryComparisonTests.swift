import Testing

@testable import ModImgQueue

/// The pure comparison behind `verify`: a live gallery against the history and the last reorder.
@Suite struct GalleryComparisonTests {
    let a = String(repeating: "a", count: 40)
    let b = String(repeating: "b", count: 40)
    let c = String(repeating: "c", count: 40)
    let d = String(repeating: "d", count: 40)
    let x = String(repeating: "e", count: 40)

    func uploaded(_ ids: [String], at time: Double = 10) -> [UploadedImage] {
        ids.map { UploadedImage(id: $0, uploadedAt: time) }
    }

    func compare(_ portal: [String], uploaded: [UploadedImage], reorder: DoneReorder? = nil) -> GalleryDrift {
        GalleryComparison.compare(portal: portal, local: LocalGallery(mod: "m", uploaded: uploaded, lastReorder: reorder))
    }

    @Test func aGalleryAsTheQueueLeftItIsInSync() {
        let drift = compare([a, b], uploaded: uploaded([a, b]), reorder: DoneReorder(imageIDs: [a, b], keepUnlisted: false, finishedAt: 20))
        #expect(drift.inSync)
        #expect(drift == GalleryDrift(mod: "m"))
    }

    @Test func anImageAddedBehindTheQueuesBackIsUnknownToTheHistory() {
        let drift = compare([a, b, x], uploaded: uploaded([a, b]), reorder: DoneReorder(imageIDs: [a, b], keepUnlisted: true, finishedAt: 20))
        #expect(drift.unknownToHistory == [x])
        #expect(drift.missingOnPortal.isEmpty)
        #expect(!drift.orderDiffers)
        #expect(!drift.inSync)
    }

    @Test func anImageRemovedBehindTheQueuesBackIsGoneFromThePortal() {
        let drift = compare([a], uploaded: uploaded([a, b]))
        #expect(drift.missingOnPortal == [b])
        #expect(drift.unknownToHistory.isEmpty)
        #expect(!drift.orderDiffers)
        #expect(!drift.inSync)
    }

    @Test func aGalleryReorderedBehindTheQueuesBackDiffersInOrder() {
        let reorder = DoneReorder(imageIDs: [a, b, c], keepUnlisted: false, finishedAt: 20)
        let drift = compare([c, a, b], uploaded: uploaded([a, b, c]), reorder: reorder)
        #expect(drift.orderDiffers)
        #expect(drift.missingOnPortal.isEmpty && drift.unknownToHistory.isEmpty)
        #expect(!drift.inSync)
        // A missing image alone does not count as an order change.
        #expect(!compare([a, c], uploaded: uploaded([a, b, c]), reorder: reorder).orderDiffers)
    }

    @Test func theListedImagesMustLeadTheImagesAReorderKept() {
        let reorder = DoneReorder(imageIDs: [a], keepUnlisted: true, finishedAt: 20)
        #expect(compare([a, c], uploaded: uploaded([a, c]), reorder: reorder).inSync)
        #expect(compare([c, a], uploaded: uploaded([a, c]), reorder: reorder).orderDiffers)
    }

    @Test func withoutADoneReorderTheOrderIsNotChecked() {
        #expect(compare([b, a], uploaded: uploaded([a, b])).inSync)
    }

    @Test func imagesAPruningReorderRemovedAreNotMissingButMustNotComeBack() {
        let reorder = DoneReorder(imageIDs: [a], keepUnlisted: false, finishedAt: 20)
        let history = uploaded([a, c], at: 10)
        #expect(compare([a], uploaded: history, reorder: reorder).inSync)
        let back = compare([a, c], uploaded: history, reorder: reorder)
        #expect(back.orderDiffers)
        #expect(back.unknownToHistory.isEmpty)
        // An image uploaded after the reorder is expected, after the listed ones.
        let later = history + uploaded([d], at: 30)
        #expect(compare([a, d], uploaded: later, reorder: reorder).inSync)
        #expect(compare([a], uploaded: later, reorder: reorder).missingOnPortal == [d])
    }

    @Test func imagesTheReorderNamedCountAsKnownEvenIfAnotherToolUploadedThem() {
        // enqueue found x in the gallery already and put it first: the queue knows it.
        let reorder = DoneReorder(imageIDs: [x, a], keepUnlisted: true, finishedAt: 20)
        #expect(compare([x, a], uploaded: uploaded([a]), reorder: reorder).inSync)
        #expect(compare([a], uploaded: uploaded([a]), reorder: reorder).missingOnPortal == [x])
    }

    @Test func anImageShownTwiceIsDriftAndRepeatsInTheHistoryAreNot() {
        let drift = compare([a, a, b], uploaded: uploaded([a, b]))
        #expect(drift.duplicatedOnPortal == [a])
        #expect(drift.orderDiffers)
        #expect(drift.unknownToHistory.isEmpty && drift.missingOnPortal.isEmpty)
        #expect(!drift.inSync)
        // The same image uploaded twice (say, after being removed) is one image.
        #expect(compare([a, b], uploaded: uploaded([a, b, a])).inSync)
        let reorder = DoneReorder(imageIDs: [a, b], keepUnlisted: false, finishedAt: 20)
        #expect(compare([a, b, b], uploaded: uploaded([a, b]), reorder: reorder).orderDiffers)
    }

    @Test func anEmptyGallery() {
        #expect(compare([], uploaded: []).inSync)
        let drift = compare([], uploaded: uploaded([a, b]), reorder: DoneReorder(imageIDs: [b, a], keepUnlisted: false, finishedAt: 20))
        #expect(drift.missingOnPortal == [b, a])
        #expect(!drift.orderDiffers)
        #expect(compare([x], uploaded: []).unknownToHistory == [x])
    }

    @Test func idsAreComparedWithoutRegardToCase() {
        #expect(compare([a.uppercased(), b], uploaded: uploaded([a, b.uppercased()])).inSync)
    }
}
