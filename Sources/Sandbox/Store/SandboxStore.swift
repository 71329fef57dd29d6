import Foundation

/// All accounts' state. An actor because every request may touch it; persisted after each change.
actor SandboxStore {
    let files: FileLayout
    let persistent: Bool
    var accounts: [String: AccountState]

    /// Loads the saved store (if `persistent`) and makes sure every configured account exists.
    init(files: FileLayout, persistent: Bool, configured: [SandboxAccount], balance: Double) throws {
        self.files = files
        self.persistent = persistent
        var loaded: [String: AccountState] = [:]
        if persistent, let data = FileManager.default.contents(atPath: files.statePath) {
            do {
                let states = try JSONDecoder().decode([AccountState].self, from: data)
                for state in states { loaded[state.account.publicKey] = state }
            } catch {
                throw SandboxError.corruptStore(path: files.statePath, reason: "\(error)")
            }
        }
        var wanted = configured
        if wanted.isEmpty { wanted = loaded.isEmpty ? [SandboxAccount.generated()] : loaded.values.map(\.account) }
        var accounts: [String: AccountState] = [:]
        for account in wanted {
            if var existing = loaded[account.publicKey] {
                existing.account = account
                accounts[account.publicKey] = existing
            } else {
                accounts[account.publicKey] = AccountState(
                    account: account, userID: UUID().uuidString.lowercased(), balance: balance)
            }
        }
        self.accounts = accounts
        try Self.write(accounts, files: files, persistent: persistent)
    }

    var accountList: [SandboxAccount] { accounts.values.map(\.account).sorted { $0.publicKey < $1.publicKey } }

    /// The account whose keys these are, or nil (→ 401).
    func authenticate(publicKey: String, secretKey: String) -> String? {
        guard let state = accounts[publicKey], state.account.secretKey == secretKey else { return nil }
        return publicKey
    }

    func state(_ account: String) throws -> AccountState {
        guard let state = accounts[account] else { throw APIError.unauthorized }
        return state
    }

    /// Runs `change` on one account and saves the store; the change's result is returned.
    func mutate<T>(_ account: String, _ change: (inout AccountState) throws -> T) throws -> T {
        guard var state = accounts[account] else { throw APIError.unauthorized }
        let result = try change(&state)
        accounts[account] = state
        try save()
        return result
    }

    func save() throws {
        try Self.write(accounts, files: files, persistent: persistent)
    }

    /// Writes the store atomically (temp file + rename) so a killed process never leaves half a file.
    private static func write(_ accounts: [String: AccountState], files: FileLayout, persistent: Bool) throws {
        guard persistent else { return }
        let states = accounts.values.sorted { $0.account.publicKey < $1.account.publicKey }
        let data = try JSONEncoder().encode(states)
        try AtomicFile.write(data, to: files.statePath, temporaryDirectory: files.tmpDirectory)
    }
}
