import Testing

@testable import ModImgQueue

/// The pure comparison behind `verify`: a live gallery against the gallery model.
@Suite struct GalleryComparisonTests {
    let a = String(repeating: "a", count: 40)
    let b = String(repeating: "b", count: 40)
    let c = String(repeating: "c", count: 40)
    let d = String(repeating: "d", count: 40)
    let x = String(repeating: "e", count: 40)

    func uploaded(_ ids: [String]) -> [GalleryModel.Change] {
        ids.map { .uploaded($0) }
    }

    func edited(_ ids: [String]) -> [GalleryModel.Change] {
        [.edited(gallery: ids, removed: [])]
    }

    func compare(_ portal: [String], _ changes: [GalleryModel.Change]) -> GalleryDrift {
        GalleryComparison.compare(portal: portal, model: GalleryModel(mod: "m", changes: changes))
    }

    @Test func aGalleryAsTheQueueLeftItIsInSync() {
        let drift = compare([a, b], uploaded([a, b]) + edited([a, b]))
        #expect(drift.inSync)
        #expect(drift == GalleryDrift(mod: "m"))
    }

    @Test func anImageAddedBehindTheQueuesBackIsUnknownToTheHistory() {
        let drift = compare([a, b, x], uploaded([a, b]) + edited([a, b]))
        #expect(drift.unknownToHistory == [x])
        #expect(drift.missingOnPortal.isEmpty)
        #expect(!drift.orderDiffers)
        #expect(!drift.inSync)
    }

    @Test func anImageRemovedBehindTheQueuesBackIsGoneFromThePortal() {
        let drift = compare([a], uploaded([a, b]))
        #expect(drift.missingOnPortal == [b])
        #expect(drift.unknownToHistory.isEmpty)
        #expect(!drift.orderDiffers)
        #expect(!drift.inSync)
    }

    @Test func aGalleryReorderedBehindTheQueuesBackDiffersInOrder() {
        let changes = uploaded([a, b, c]) + edited([a, b, c])
        let drift = compare([c, a, b], changes)
        #expect(drift.orderDiffers)
        #expect(drift.missingOnPortal.isEmpty && drift.unknownToHistory.isEmpty)
        #expect(!drift.inSync)
        // A missing image alone does not count as an order change.
        #expect(!compare([a, c], changes).orderDiffers)
        #expect(compare([c, a], uploaded([a, c]) + edited([a, c])).orderDiffers)
    }

    @Test func withoutAnEditTheOrderIsNotChecked() {
        #expect(compare([b, a], uploaded([a, b])).inSync)
    }

    @Test func imagesAnEditTookOutAreNotMissingButMustNotComeBack() {
        let history = uploaded([a, c]) + edited([a])
        #expect(compare([a], history).inSync)
        let back = compare([a, c], history)
        #expect(back.orderDiffers)
        #expect(back.unknownToHistory.isEmpty)
        // An image uploaded after the edit is expected, after the ones it set.
        let later = history + uploaded([d])
        #expect(compare([a, d], later).inSync)
        #expect(compare([a], later).missingOnPortal == [d])
        // Uploaded again after being taken out, it is wanted again.
        #expect(compare([a, c], history + uploaded([c])).inSync)
    }

    @Test func anImageOnlyAListingShowedThatAnEditTookOutIsKnownAndMustNotComeBack() {
        let changes = uploaded([a]) + [.edited(gallery: [a], removed: [x])]
        #expect(compare([a], changes).inSync)
        #expect(compare([a, x], changes).orderDiffers)
    }

    @Test func imagesAnEditSetCountAsKnownEvenIfAnotherToolUploadedThem() {
        // enqueue found x in the gallery already and put it first: the queue knows it.
        let changes = uploaded([a]) + edited([x, a])
        #expect(compare([x, a], changes).inSync)
        #expect(compare([a], changes).missingOnPortal == [x])
    }

    @Test func anImageShownTwiceIsDriftAndRepeatsInTheHistoryAreNot() {
        let drift = compare([a, a, b], uploaded([a, b]))
        #expect(drift.duplicatedOnPortal == [a])
        #expect(drift.orderDiffers)
        #expect(drift.unknownToHistory.isEmpty && drift.missingOnPortal.isEmpty)
        #expect(!drift.inSync)
        // The same image uploaded twice (say, after being removed) is one image.
        #expect(compare([a, b], uploaded([a, b, a])).inSync)
        #expect(compare([a, b, b], uploaded([a, b]) + edited([a, b])).orderDiffers)
    }

    @Test func anEmptyGallery() {
        #expect(compare([], []).inSync)
        let drift = compare([], uploaded([a, b]) + edited([b, a]))
        #expect(drift.missingOnPortal == [b, a])
        #expect(!drift.orderDiffers)
        #expect(compare([x], []).unknownToHistory == [x])
    }

    @Test func idsAreComparedWithoutRegardToCase() {
        #expect(compare([a.uppercased(), b], uploaded([a, b.uppercased()])).inSync)
    }
}
