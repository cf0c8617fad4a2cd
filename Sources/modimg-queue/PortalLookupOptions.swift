import ArgumentParser
import Foundation
import ModImgQueue
import ModPortal

/// `--portal-url`, `--timeout` and `--offline`, shared by the commands that queue work: how they
/// read the portal's public listings (no key needed) to refuse a mod the portal does not know.
struct PortalLookupOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The portal's base URL, for reading galleries.", valueName: "url"))
    var portalURL: String?

    @Option(name: .long, help: ArgumentHelp("How long one listing read, body included, may take.", valueName: "seconds"))
    var timeout = Seconds(60)

    @Flag(
        name: .long,
        help: "Do not read the portal (no network, no key): rely on this database's history, and do not check that the mod exists.")
    var offline = false

    func validate() throws {
        guard timeout.value > 0, timeout.value <= 86_400 else {
            throw ValidationError("--timeout must be a positive number of seconds, at most a day.")
        }
    }

    /// The mods' galleries from the portal's listing; refuses mods the portal does not know, and
    /// a portal that cannot be reached at all. Says on stderr that it reads them.
    func listings(of mods: [String]) async throws -> GalleryListings {
        let (portal, url) = try client()
        let progress = ListingProgress(count: mods.count, url: url)
        progress.start()
        let listings: GalleryListings
        do {
            listings = try await GalleryReader.read(
                mods: mods, portal: portal, portalURL: url.absoluteString, progress: progress.update)
        } catch {
            progress.finish()
            await portal.shutdown()
            throw error
        }
        progress.finish()
        await portal.shutdown()
        guard listings.unknownMods.isEmpty else { throw GalleryListingError.unknownMods(listings.unknownMods) }
        return listings
    }

    /// One mod's gallery ids, in order, or nil with `--offline`; refuses a mod the portal does not
    /// know, a listing that stays unreadable, and a portal that cannot be reached.
    func gallery(of mod: String) async throws -> [String]? {
        guard !offline else { return nil }
        let (portal, url) = try client()
        do {
            let ids = try await GalleryReader.gallery(of: mod, portal: portal, portalURL: url.absoluteString)
            await portal.shutdown()
            return ids
        } catch {
            await portal.shutdown()
            throw error
        }
    }

    private func client() throws -> (HTTPPortalClient, URL) {
        let url = try WorkerSetup.portalURL(
            option: portalURL, environment: ProcessInfo.processInfo.environment, configured: LoadedConfig.current.portalURL)
        var timeouts = HTTPPortalClient.Timeouts()
        timeouts.request = timeout.value
        return (HTTPPortalClient(baseURL: url, apiKey: nil, timeouts: timeouts, retryingConnections: false), url)
    }
}
