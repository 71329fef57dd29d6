import Testing

@Test func placeholder_AIOZTests() { #expect(Bool(true)) }
