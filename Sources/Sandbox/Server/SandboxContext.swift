import Hummingbird
import NIOCore

/// Per-request context: the authenticated account and the channel (so a fault can drop the connection).
struct SandboxContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Public key of the authenticated account; set by `AuthMiddleware`.
    var account: String?
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Only JSON bodies and thumbnails are collected; part bodies are streamed and never hit this.
    var maxUploadSize: Int { 16 << 20 }

    func requireAccount() throws -> String {
        guard let account else { throw APIError.unauthorized }
        return account
    }
}
