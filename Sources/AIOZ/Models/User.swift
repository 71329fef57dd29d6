import Foundation

/// The answer of `GET /user/me` (2026 spec, `GetMeResponse`: `data.user`). Only what streamplan
/// reads is decoded: the user's id and balance.
public struct UserMe: Decodable, Sendable, Hashable {
    public var user: AccountUser

    public init(user: AccountUser) {
        self.user = user
    }
}

/// `User` of the 2026 spec. `balance` is a string there; a number is accepted too, as for prices.
public struct AccountUser: Decodable, Sendable, Hashable {
    public var id: String?
    /// As sent, e.g. "12.5"; empty when the answer has none.
    public var balance: String

    enum CodingKeys: String, CodingKey {
        case id, balance
    }

    public init(id: String?, balance: String) {
        self.id = id
        self.balance = balance
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try? c.decodeIfPresent(String.self, forKey: .id)
        balance = AmountText.decode(c, .balance)
    }

    /// The balance as an exact decimal, when it parses.
    public var balanceValue: Decimal? { AmountText.decimal(balance) }
}

/// Amounts that AIOZ sends as a JSON number or a string: kept as the text, read as a `Decimal`.
enum AmountText {
    static func decode<Key: CodingKey>(_ c: KeyedDecodingContainer<Key>, _ key: Key) -> String {
        if let text = try? c.decode(String.self, forKey: key) { return text }
        if let number = try? c.decode(Decimal.self, forKey: key) { return "\(number)" }
        return ""
    }

    static func decimal(_ text: String) -> Decimal? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, let value = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX")),
            !value.isNaN
        else { return nil }
        // Decimal(string:) reads a prefix ("12abc" is 12); accept only whole numbers.
        guard trimmed.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E" }) else {
            return nil
        }
        return value
    }
}
