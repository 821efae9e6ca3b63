/// Which email addresses and phone numbers of a book (by their `MatchKeys` keys) more than
/// one card has, or one card twice, and so which cards have one: only those cards can
/// merge, so the duplicate search reads the names of those alone.
///
/// Keys are compared as 64-bit numbers: a phone key as it is, an email key by a hash of
/// its bytes. Two different addresses with one hash only make their cards look further
/// (the exact keys decide what merges), and no address is missed. The numbers are sorted,
/// not put in a hash table: a table of every key of a large book misses the processor's
/// cache on nearly every look-up, a radix sort reads and writes memory in order.
struct SharedValues {
    /// Per card, whether any of its keys is shared.
    let cards: [Bool]
    /// Per key, in the order the cards give them (each card's email addresses, then its
    /// phone numbers, those without a key skipped), whether another key is equal to it. A
    /// value only one card holds can join nothing, so the search passes over it.
    let keys: [Bool]
    /// Where each card's keys start in `keys`, and the end as a last element.
    let keyStarts: [Int32]

    init(of contacts: [Contact]) {
        var values: [UInt64] = []
        var keyStarts: [Int32] = [0]
        values.reserveCapacity(contacts.count * 4)
        keyStarts.reserveCapacity(contacts.count + 1)
        for contact in contacts {
            // Email keys odd, phone keys even: an address never meets a number.
            contact.forEachEmailAddressBytes { bytes in
                guard let hash = MatchKeys.withEmailKey(utf8: bytes, ByteHash.of) else { return }
                values.append(hash << 1 | 1)
            }
            contact.forEachPhoneNumberBytes { bytes in
                guard let key = MatchKeys.phone(utf8: bytes) else { return }
                values.append(key << 1)
            }
            keyStarts.append(Int32(values.count))
        }
        var positions = values.indices.map { Int32($0) }
        Self.radixSort(&values, carrying: &positions)
        var keys = Array(repeating: false, count: values.count)
        var index = 1
        while index < values.count {
            if values[index] == values[index - 1] {
                keys[Int(positions[index])] = true
                keys[Int(positions[index - 1])] = true
            }
            index += 1
        }
        cards = contacts.indices.map { card in keys[Int(keyStarts[card])..<Int(keyStarts[card + 1])].contains(true) }
        self.keys = keys
        self.keyStarts = keyStarts
    }

    /// Sorts `keys` (least significant 11 bits first, six passes) and moves each element
    /// of `payload` with its key.
    static func radixSort(_ keys: inout [UInt64], carrying payload: inout [Int32]) {
        let count = keys.count
        guard count > 1 else { return }
        var otherKeys = [UInt64](repeating: 0, count: count)
        var otherPayload = [Int32](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: 2048)
        for shift in stride(from: UInt64(0), to: 64, by: 11) {
            keys.withUnsafeBufferPointer { source in
                payload.withUnsafeBufferPointer { sourcePayload in
                    otherKeys.withUnsafeMutableBufferPointer { target in
                        otherPayload.withUnsafeMutableBufferPointer { targetPayload in
                            counts.withUnsafeMutableBufferPointer { counts in
                                for index in counts.indices { counts[index] = 0 }
                                for key in source { counts[Int(key >> shift & 2047)] += 1 }
                                var start = 0
                                for digit in counts.indices {
                                    let size = counts[digit]
                                    counts[digit] = start
                                    start += size
                                }
                                for index in source.indices {
                                    let digit = Int(source[index] >> shift & 2047)
                                    target[counts[digit]] = source[index]
                                    targetPayload[counts[digit]] = sourcePayload[index]
                                    counts[digit] += 1
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &otherKeys)
            swap(&payload, &otherPayload)
        }
    }
}
