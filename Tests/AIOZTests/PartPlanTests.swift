import Testing

@testable import AIOZ

@Suite("PartPlan")
struct PartPlanTests {
    static let mib = PartPlan.mebibyte

    static let sizes: [(Int64, Int64)] = [
        (1, 5 * mib), (5 * mib - 1, 5 * mib), (5 * mib, 5 * mib), (5 * mib + 1, 5 * mib),
        (123_456_789, 50 * mib), (200 * mib, 200 * mib), (10 * 1024 * mib + 7, 50 * mib),
    ]

    @Test("parts cover 0..<size exactly, in order, without overlap", arguments: sizes)
    func coversFile(size: Int64, partSize: Int64) throws {
        let plan = try PartPlan(fileSize: size, partSize: partSize)
        #expect(plan.parts.first?.start == 0)
        #expect(plan.parts.last?.endInclusive == size - 1)
        #expect(plan.parts.count == Int((size + partSize - 1) / partSize))
        var expectedStart: Int64 = 0
        for (position, part) in plan.parts.enumerated() {
            #expect(part.index == position)
            #expect(part.start == expectedStart)
            #expect(part.length <= partSize)
            if position < plan.parts.count - 1 { #expect(part.length == partSize) }
            expectedStart = part.endInclusive + 1
        }
        #expect(expectedStart == size)
    }

    @Test("Content-Range is bytes START-END/TOTAL with END inclusive")
    func contentRange() throws {
        let plan = try PartPlan(fileSize: 12 * Self.mib, partSize: 5 * Self.mib)
        #expect(
            plan.parts.map { plan.contentRange(for: $0) } == [
                "bytes 0-5242879/12582912", "bytes 5242880-10485759/12582912", "bytes 10485760-12582911/12582912",
            ])
    }

    @Test("an empty file is refused before anything is sent")
    func emptyFile() {
        let error = #expect(throws: AIOZError.self) { try PartPlan(fileSize: 0) }
        #expect(error?.code == .invalidFile)
        #expect(error?.description.contains("empty") == true)
    }

    @Test(
        "part sizes outside 5…200 MiB are refused", arguments: [Int64(1), 5 * PartPlan.mebibyte - 1, 200 * PartPlan.mebibyte + 1])
    func partSizeBounds(partSize: Int64) {
        let error = #expect(throws: AIOZError.self) { try PartPlan(fileSize: 1000 * Self.mib, partSize: partSize) }
        #expect(error?.description.contains("5 MiB…200 MiB") == true)
    }

    @Test("an explicit lower minimum allows small parts for tests")
    func lowerMinimum() throws {
        let plan = try PartPlan(fileSize: 10, partSize: 3, minimumPartSize: 1)
        #expect(plan.parts.map(\.length) == [3, 3, 3, 1])
    }
}
