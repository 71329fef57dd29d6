import CYAML

/// One libyaml event, copied out of the C struct so that it can outlive the parser call.
enum YAMLEvent {
    case streamStart, streamEnd
    case documentStart, documentEnd
    case alias(anchor: String)
    case scalar(YAMLScalar, anchor: String?, tag: String?)
    case sequenceStart(anchor: String?, tag: String?)
    case sequenceEnd
    case mappingStart(anchor: String?, tag: String?)
    case mappingEnd
}

/// The reason libyaml stopped, with the byte offset or position it gave.
struct LibYAMLFailure: Error {
    var message: String
    var mark: Mark?
    var offset: Int?
}

/// An event with the positions where it starts and ends.
struct SpannedEvent {
    var event: YAMLEvent
    var start: Mark
    var end: Mark
    /// For a mapping or sequence start: whether it is written in flow style (`{...}`, `[...]`).
    var flow: Bool
}

/// A thin owner of a heap-allocated `yaml_parser_t` reading from a byte buffer.
///
/// Not `Sendable`: one parser is used by one task, and the buffer must outlive it.
final class EventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>

    init(buffer: UnsafeBufferPointer<UInt8>) {
        parser = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    /// Pulls the next event with its start position.
    func next() throws(LibYAMLFailure) -> (YAMLEvent, Mark) {
        let spanned = try nextSpanned()
        return (spanned.event, spanned.start)
    }

    /// Pulls the next event with where it starts and ends, and whether a collection is in flow style
    /// (the formatter needs the extent of every node; the composer only its start).
    func nextSpanned() throws(LibYAMLFailure) -> SpannedEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw failure() }
        defer { yaml_event_delete(&event) }
        let start = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        let end = Mark(line: Int(event.end_mark.line) + 1, column: Int(event.end_mark.column) + 1)
        var flow = false
        if event.type == YAML_MAPPING_START_EVENT {
            flow = event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
        } else if event.type == YAML_SEQUENCE_START_EVENT {
            flow = event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
        }
        return SpannedEvent(event: Self.event(event), start: start, end: end, flow: flow)
    }

    private static func event(_ event: yaml_event_t) -> YAMLEvent {
        switch event.type {
        case YAML_STREAM_START_EVENT: return .streamStart
        case YAML_STREAM_END_EVENT: return .streamEnd
        case YAML_DOCUMENT_START_EVENT: return .documentStart
        case YAML_DOCUMENT_END_EVENT: return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: Self.string(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let style: ScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            return .scalar(YAMLScalar(value, style: style), anchor: Self.string(s.anchor), tag: Self.string(s.tag))
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            return .sequenceStart(anchor: Self.string(s.anchor), tag: Self.string(s.tag))
        case YAML_SEQUENCE_END_EVENT: return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let m = event.data.mapping_start
            return .mappingStart(anchor: Self.string(m.anchor), tag: Self.string(m.tag))
        case YAML_MAPPING_END_EVENT: return .mappingEnd
        default:
            return .streamEnd
        }
    }

    private static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }

    private func failure() -> LibYAMLFailure {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "unknown error"
        switch p.error {
        case YAML_READER_ERROR:
            // problem_mark is meaningless for reader errors; the byte offset is right.
            return LibYAMLFailure(message: problem, mark: nil, offset: Int(p.problem_offset))
        case YAML_MEMORY_ERROR:
            return LibYAMLFailure(message: "out of memory while parsing", mark: nil, offset: nil)
        default:
            var message = problem
            if let context = p.context.map({ String(cString: $0) }) {
                let cm = p.context_mark
                message += " (\(context) at line \(cm.line + 1), column \(cm.column + 1))"
            }
            let pm = p.problem_mark
            return LibYAMLFailure(
                message: message,
                mark: Mark(line: Int(pm.line) + 1, column: Int(pm.column) + 1),
                offset: Int(pm.index)
            )
        }
    }
}
