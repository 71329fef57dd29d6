import Testing

@Test func placeholder_SandboxTests() { #expect(Bool(true)) }
