import AsyncHTTPClient
import Foundation
import Logging
import Manifest
import NIOCore
import NIOHTTP1

/// Calls the account's webhooks on the sandbox's own events (docs/sandbox.md, "Webhooks").
///
/// An upload's `complete` queues `file_received` and `encoding_started`; when transcoding ends
/// (after `transcodeSeconds`) one `partial_finished` per quality and `encoding_finished`, unless the
/// video failed first (`POST /_sandbox/videos/{id}/fail`), which queues `encoding_failed`. One
/// background task turns the jobs into deliveries in order, and each webhook has a queue of its own,
/// delivered in order by a task of its own: a receiver sees an upload's events in the order they
/// happened, and an unreachable receiver delays nobody else. API requests never wait for a delivery
/// and never fail because of one. Each delivery is a JSON POST with a timeout and a few retries,
/// logged (`GET /_sandbox/webhook_deliveries`). When the sandbox stops, the attempts in flight are
/// cancelled and the queued ones dropped, each logged as not delivered: stopping never waits for a receiver.
actor WebhookDispatcher {
    /// One event of one video, before it is sent to each webhook that wants it.
    struct Event: Sendable {
        var type: String
        var videoID: String
        var title: String
        var status: String
        var quality: String?
        /// When the sandbox event happened (seconds since 1970): `complete`, or the transcode's end.
        var at: Double = Timestamp.now()
    }

    enum Job: Sendable {
        case send(account: String, [Event])
        /// Transcoding of the video ended: its partial and finished events, unless it failed first.
        case finish(account: String, videoID: String)
        /// The video was made to fail while transcoding.
        case fail(account: String, videoID: String)
    }

    /// One attempt to call a webhook, as logged.
    struct Delivery: Encodable, Sendable {
        var webhookID: String
        var event: String
        var videoID: String?
        var url: String
        var attempt: Int
        var status: Int?
        var error: String?
        /// When the attempt ended (its answer, or its failure).
        var at: String
        /// When the event it delivers happened (the transcode's end for `encoding_finished`): `at` minus
        /// this is the delivery's lateness.
        var eventAt: String?

        enum CodingKeys: String, CodingKey {
            case event, url, attempt, status, error, at
            case webhookID = "webhook_id"
            case videoID = "video_id"
            case eventAt = "event_at"
        }
    }

    /// One event for one webhook, waiting in that webhook's queue.
    private struct Pending: Sendable {
        var account: String
        var hook: StoredWebhook
        var event: Event
    }

    static let defaultTimeout: Double = 10
    static let attempts = 3
    static let keptDeliveries = 500
    /// What the log says of a delivery the sandbox's stop cut short or never started.
    static let stoppedInFlight = "not delivered: the sandbox stopped while waiting for an answer"
    static let stoppedQueued = "not sent: the sandbox stopped first"

    let store: SandboxStore
    let transcodeSeconds: Double
    let logger: Logger
    let timeout: TimeAmount
    nonisolated let jobs: AsyncStream<Job>.Continuation
    /// Finishes when the delivery task has ended (see `shutdown`).
    private let ended: AsyncStream<Void>
    /// Set by `shutdown`: nothing more is sent, and the store (closed next) is not touched again.
    private var stopping = false
    private var finalized = Set<String>()
    private var log: [Delivery] = []
    /// Each webhook's deliveries not yet started, in order, by webhook id.
    private var pending: [String: [Pending]] = [:]
    /// The task delivering each webhook's queue, while it has one.
    private var workers: [String: Task<Void, Never>] = [:]

    init(store: SandboxStore, transcodeSeconds: Double, timeout: Double = defaultTimeout, logger: Logger) {
        self.store = store
        self.transcodeSeconds = transcodeSeconds
        self.timeout = .milliseconds(Int64((timeout * 1000).rounded()))
        self.logger = logger
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        jobs = continuation
        let (ended, endedContinuation) = AsyncStream.makeStream(of: Void.self)
        self.ended = ended
        Task {
            await self.run(stream)
            endedContinuation.finish()
        }
    }

    /// Ends the delivery tasks and returns once they have ended, without waiting for any receiver:
    /// an attempt in flight is cancelled, queued deliveries are dropped, and each is logged as not
    /// delivered (none is retried or recorded in the store). The server calls it before closing the
    /// store, which a delivery must never touch once closed.
    func shutdown() async {
        stopping = true
        jobs.finish()
        for await _ in ended {}
        let running = Array(workers.values)
        for worker in running { worker.cancel() }
        for worker in running { await worker.value }
        workers = [:]
        for item in pending.values.joined() {
            record(
                item.hook, event: item.event.type, videoID: item.event.videoID, attempt: 1,
                result: .failure(Stopped.queued), eventAt: item.event.at)
        }
        pending = [:]
    }

    /// Why a delivery has no answer when the sandbox stopped.
    enum Stopped: Error, CustomStringConvertible {
        case inFlight, queued
        var description: String { self == .inFlight ? WebhookDispatcher.stoppedInFlight : WebhookDispatcher.stoppedQueued }
    }

    private func run(_ stream: AsyncStream<Job>) async {
        for await job in stream {
            if stopping { continue }
            switch job {
            case .send(let account, let events):
                for event in events { await deliver(event, account: account) }
            case .finish(let account, let videoID):
                guard !finalized.contains(videoID), let video = try? store.videoIfPresent(account, videoID),
                    !video.failed
                else { continue }
                finalized.insert(videoID)
                let ended = (video.completedAt ?? Timestamp.now()) + transcodeSeconds
                for quality in video.qualities.map(\.name) {
                    await deliver(
                        Event(
                            type: "partial_finished", videoID: videoID, title: video.title, status: "transcoding",
                            quality: quality, at: ended), account: account)
                }
                await deliver(
                    Event(type: "encoding_finished", videoID: videoID, title: video.title, status: "done", at: ended),
                    account: account)
            case .fail(let account, let videoID):
                guard finalized.insert(videoID).inserted, let video = try? store.videoIfPresent(account, videoID) else {
                    continue
                }
                await deliver(
                    Event(type: "encoding_failed", videoID: videoID, title: video.title, status: "fail"), account: account)
            }
        }
    }

    // MARK: What the routes call

    /// `complete` succeeded: the file is received and encoding starts (and ends after `transcodeSeconds`).
    nonisolated func uploadCompleted(account: String, video: StoredVideo) {
        jobs.yield(
            .send(
                account: account,
                [
                    Event(type: "file_received", videoID: video.id, title: video.title, status: "transcoding"),
                    Event(type: "encoding_started", videoID: video.id, title: video.title, status: "transcoding"),
                ]))
        if video.failed {
            jobs.yield(.fail(account: account, videoID: video.id))
            return
        }
        let seconds = transcodeSeconds
        guard seconds > 0 else {
            jobs.yield(.finish(account: account, videoID: video.id))
            return
        }
        let jobs = self.jobs
        Task {
            try? await Task.sleep(for: .seconds(seconds))
            jobs.yield(.finish(account: account, videoID: video.id))
        }
    }

    /// `POST /_sandbox/videos/{id}/fail` on a video whose upload was complete.
    nonisolated func videoFailed(account: String, videoID: String) {
        jobs.yield(.fail(account: account, videoID: videoID))
    }

    /// `POST /webhooks/check/{id}`: one test event, sent now; the answer's status, or why there was none.
    func check(account: String, _ hook: StoredWebhook) async -> Result<Int, any Error> {
        let body = Self.body(type: "test", webhookID: hook.id, event: nil)
        let result = await Self.post(body, to: hook.url, timeout: timeout)
        record(hook, event: "test", videoID: nil, attempt: 1, result: result)
        try? await store.markTriggered(account, hook.id, at: Timestamp.now())
        return result
    }

    /// The deliveries tried so far (the last `keptDeliveries`), oldest first.
    var deliveries: [Delivery] { log }

    // MARK: Delivery

    /// Queues `event` for each webhook of the account that wants it (each queue keeps its order).
    private func deliver(_ event: Event, account: String) async {
        guard !stopping, let hooks = try? store.webhooks(account, calledFor: event.type), !stopping else { return }
        for hook in hooks {
            pending[hook.id, default: []].append(Pending(account: account, hook: hook, event: event))
            if workers[hook.id] == nil { workers[hook.id] = Task { await self.work(hook.id) } }
        }
    }

    /// The next delivery of a webhook's queue; nil (and the worker forgotten) when there is none or the sandbox stops.
    private func next(for hookID: String) -> Pending? {
        guard !stopping, !Task.isCancelled, var queue = pending[hookID], !queue.isEmpty else {
            if !stopping { workers[hookID] = nil }
            return nil
        }
        let item = queue.removeFirst()
        pending[hookID] = queue.isEmpty ? nil : queue
        return item
    }

    /// One webhook's worker: its deliveries in order, each with its retries.
    private func work(_ hookID: String) async {
        while let item = next(for: hookID) {
            let body = Self.body(type: item.event.type, webhookID: item.hook.id, event: item.event)
            for attempt in 1...Self.attempts {
                var result = await Self.post(body, to: item.hook.url, timeout: timeout)
                if stopping || Task.isCancelled, case .failure = result { result = .failure(Stopped.inFlight) }
                record(
                    item.hook, event: item.event.type, videoID: item.event.videoID, attempt: attempt, result: result,
                    eventAt: item.event.at)
                if case .success(let status) = result, !(status >= 500 || status == 429) { break }
                if stopping || Task.isCancelled { return }
                if attempt < Self.attempts { try? await Task.sleep(for: .milliseconds(250 << attempt)) }
            }
            guard !stopping, !Task.isCancelled else { return }
            try? await store.markTriggered(item.account, item.hook.id, at: Timestamp.now())
        }
    }

    /// The JSON body of a delivery (docs/sandbox.md): `type`, `webhook_id`, `emitted_at`, and for a
    /// video's events `video_id` and `media_id` (the same id, as the two generations name it),
    /// `title`, `status`, and `quality` for `partial_finished`.
    static func body(type: String, webhookID: String, event: Event?) -> Data {
        var object: [String: String] = [
            "type": type, "webhook_id": webhookID, "emitted_at": Timestamp.format(Timestamp.now()),
        ]
        if let event {
            object["video_id"] = event.videoID
            object["media_id"] = event.videoID
            object["title"] = event.title
            object["status"] = event.status
            if let quality = event.quality { object["quality"] = quality }
        }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// The client of every delivery: unlike `HTTPClient.shared`, a connection that cannot be made is
    /// not tried again until the deadline (refused answers at once, and the delivery's own retries
    /// decide what happens next). One per process, like `HTTPClient.shared`, and never shut down.
    static let client = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: {
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool.retryConnectionEstablishment = false
            // The delivery's deadline bounds the connection too (a blackholed address never answers its SYN).
            configuration.timeout = .init(connect: .hours(1))
            return configuration
        }())

    /// One POST, all of it (connecting, sending, the answer's head and body) bounded by `timeout`: a
    /// refused connection fails at once, a blackholed address or a receiver that never answers (or never
    /// finishes its answer) fails when `timeout` ends. Cancelling the calling task cancels it
    /// (AsyncHTTPClient gives up the request at once).
    private static func post(_ body: Data, to url: String, timeout: TimeAmount) async -> Result<Int, any Error> {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "streamplan-sandbox-webhooks")
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = NIODeadline.now() + timeout
        do {
            let response = try await client.execute(request, deadline: deadline)
            let status = Int(response.status.code)
            // The answer's body is read (to keep the connection) only until the deadline.
            let remaining = deadline - .now()
            await withTaskGroup(of: Void.self) { group in
                group.addTask { _ = try? await response.body.collect(upTo: 1 << 16) }
                group.addTask { try? await Task.sleep(for: .nanoseconds(max(0, remaining.nanoseconds))) }
                await group.next()
                group.cancelAll()
            }
            return .success(status)
        } catch {
            return .failure(error)
        }
    }

    private func record(
        _ hook: StoredWebhook, event: String, videoID: String?, attempt: Int, result: Result<Int, any Error>,
        eventAt: Double? = nil
    ) {
        var delivery = Delivery(
            webhookID: hook.id, event: event, videoID: videoID, url: Self.masked(hook.url), attempt: attempt,
            at: Timestamp.format(Timestamp.now()), eventAt: eventAt.map(Timestamp.format))
        switch result {
        case .success(let status): delivery.status = status
        case .failure(let error): delivery.error = "\(error)"
        }
        log.append(delivery)
        if log.count > Self.keptDeliveries { log.removeFirst(log.count - Self.keptDeliveries) }
        let outcome = delivery.status.map { "HTTP \($0)" } ?? "failed: \(delivery.error ?? "")"
        let line: Logger.Message = "webhook \(hook.id) \(event) → \(delivery.url) (attempt \(attempt)): \(outcome)"
        if let status = delivery.status, status < 400 { logger.info(line) } else { logger.warning(line) }
    }

    /// The URL as plans show it (`WebhookURL.masked`: every query value, a password and any path
    /// segment that looks like a token as `***`): what the delivery log shows.
    static func masked(_ url: String) -> String { WebhookURL.masked(url) }
}
