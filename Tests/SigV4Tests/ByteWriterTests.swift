import Testing

@testable import SigV4

@Suite("ByteWriter: bytes written into storage sized beforehand")
struct ByteWriterTests {
    @Test func writesEveryKindOfPieceInOrder() {
        let bytes = ByteWriter.array(capacity: 32) { out in
            out.write("static:")
            out.write(String("dynamic é"))
            out.write(UInt8(ascii: ";"))
            out.write([1, 2, 3, 4][1...2])
            out.writeHex(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        #expect(bytes == Array("static:dynamic é;".utf8) + [2, 3])
    }

    @Test func aStringMayUseLessThanItsCapacity() {
        let hex = [UInt8](arrayLiteral: 0x00, 0x9F, 0xFF).withUnsafeBytes { raw in
            ByteWriter.string(capacity: 100) { $0.writeHex(raw) }
        }
        #expect(hex == "009fff")
        #expect(ByteWriter.string(capacity: 0) { _ in } == "")
    }

    @Test func hexOfEveryByteValue() {
        let all = (0...255).map(UInt8.init)
        let hex = all.withUnsafeBytes { raw in ByteWriter.string(capacity: 512) { $0.writeHex(raw) } }
        #expect(hex == all.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
    }

    @Test func writingMoreThanCountedStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            _ = ByteWriter.array(capacity: 2) { $0.write("abc") }
        }
        await #expect(processExitsWith: .failure) {
            _ = ByteWriter.string(capacity: 3) { out in
                out.write("ab")
                [UInt8](arrayLiteral: 1).withUnsafeBytes { out.writeHex($0) }
            }
        }
    }
}
