/// Hands out one shared `String` for cells with the same bytes.
///
/// Address books repeat values (cities, countries, companies, job titles, boilerplate
/// notes); a shared string costs a retain instead of an allocation, a copy and a
/// validation, and it is stored once however many contacts hold it. Columns whose
/// values turn out to be unique (e-mails, phone numbers) stop using the cache after a
/// trial, so they pay nothing. The result never depends on the cache: only identity.
final class CSVStringCache {
    fileprivate struct ColumnStats {
        var lookups: UInt32 = 0
        var hits: UInt32 = 0
        var enabled = true
    }

    /// Shorter strings are stored inline in `String` and cost no allocation to build.
    private static let minimumLength = 16
    /// Longer ones are rarely repeated and costly to hash.
    private static let maximumLength = 256
    private static let trialLookups: UInt32 = 256
    private static let slotBits = 12

    // Plain memory behind `let`s: this runs for most cells of every row, and class
    // properties holding arrays would add an exclusivity check and a copy-on-write test
    // to every access.
    private let slots: UnsafeMutableBufferPointer<String?>
    private let columns: UnsafeMutableBufferPointer<ColumnStats>

    init(columnCount: Int) {
        slots = .allocate(capacity: 1 << Self.slotBits)
        slots.initialize(repeating: nil)
        columns = .allocate(capacity: max(1, columnCount))
        columns.initialize(repeating: ColumnStats())
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
        columns.deinitialize()
        columns.deallocate()
    }

    /// The cache as rows use it: the same memory, reached without reference counting
    /// (rows are copied into many helpers and closures, each copy of a class reference a
    /// retain and a release). The decoder keeps the cache alive while its rows exist.
    var handle: Handle { Handle(slots: slots, columns: columns) }

    struct Handle {
        fileprivate let slots: UnsafeMutableBufferPointer<String?>
        fileprivate let columns: UnsafeMutableBufferPointer<ColumnStats>

        /// `knownUTF8` says the bytes were already found to be valid UTF-8 (see `CSVText.string`).
        func string(_ bytes: UnsafeBufferPointer<UInt8>, column: Int, knownUTF8: Bool = false) -> String {
            guard bytes.count >= CSVStringCache.minimumLength, bytes.count <= CSVStringCache.maximumLength,
                column >= 0, column < columns.count, columns[column].enabled
            else { return CSVText.string(bytes, knownUTF8: knownUTF8) }

            columns[column].lookups += 1
            let slot = Int(truncatingIfNeeded: ValueBytes.hash(bytes) >> UInt64(64 - CSVStringCache.slotBits))
            if let cached = slots[slot], ValueBytes.equal(cached, bytes) {
                columns[column].hits += 1
                return cached
            }
            let fresh = CSVText.string(bytes, knownUTF8: knownUTF8)
            slots[slot] = fresh
            let stats = columns[column]
            if stats.lookups >= CSVStringCache.trialLookups && stats.hits < stats.lookups / 4 {
                columns[column].enabled = false
            }
            return fresh
        }
    }
}
