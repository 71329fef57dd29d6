import Testing

@Test func placeholder_PlanningTests() { #expect(Bool(true)) }
