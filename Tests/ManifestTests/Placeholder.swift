import Testing

@Test func placeholder_ManifestTests() { #expect(Bool(true)) }
