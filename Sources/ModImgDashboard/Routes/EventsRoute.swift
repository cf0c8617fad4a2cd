import Hummingbird
import ServiceLifecycle

/// `/events`: Server-Sent Events, one `change` event each time the database changes. A comment
/// opens the stream (and one every 15 s keeps proxies and the client's view of it alive); a
/// graceful shutdown of the server ends it.
struct EventsRoute {
    let watcher: ChangeWatcher

    func add(to router: Router<DashboardContext>) {
        // The stream's head alone: no watcher is asked for changes nobody will read.
        router.head("/events") { _, _ in Response(status: .ok, headers: Self.headers) }
        router.get("/events") { _, _ in
            let changes = await watcher.changes()
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
                try await withGracefulShutdownHandler {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        let (events, sink) = AsyncStream<String>.makeStream()
                        group.addTask {
                            for await version in changes { sink.yield("event: change\ndata: \(version)\n\n") }
                            sink.finish()
                        }
                        group.addTask {
                            while !Task.isCancelled {
                                try await Task.sleep(for: .seconds(15))
                                sink.yield(": keep-alive\n\n")
                            }
                        }
                        for await event in events { try await writer.write(ByteBuffer(string: event)) }
                        group.cancelAll()
                    }
                } onGracefulShutdown: {
                    watcher.close()
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: Self.headers, body: body)
        }
    }

    static var headers: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        return headers
    }
}
