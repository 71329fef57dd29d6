import Testing

@Test func placeholder_YAMLNodesTests() { #expect(Bool(true)) }
