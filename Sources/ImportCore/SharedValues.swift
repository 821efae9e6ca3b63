/// Which cards of a book have an email address or a phone number (by its `MatchKeys` key)
/// that another card has too, or that they have twice: only those cards can merge, so the
/// duplicate search reads the names of those alone.
///
/// Keys are compared as 64-bit numbers: a phone key as it is, an email key by a hash of
/// its bytes. Two different addresses with one hash only make their cards look further
/// (the exact keys decide what merges), and no address is missed. The numbers are sorted,
/// not put in a hash table: a table of every key of a large book misses the processor's
/// cache on nearly every look-up, a radix sort reads and writes memory in order.
enum SharedValues {
    /// One flag per card.
    static func cards(in contacts: [Contact]) -> [Bool] {
        var keys: [UInt64] = []
        var cards: [Int32] = []
        keys.reserveCapacity(contacts.count * 4)
        cards.reserveCapacity(contacts.count * 4)
        for (index, contact) in contacts.enumerated() {
            let card = Int32(index)
            // Email keys odd, phone keys even: an address never meets a number.
            contact.forEachEmailAddressBytes { bytes in
                guard let hash = MatchKeys.withEmailKey(utf8: bytes, ByteStringTable.hash) else { return }
                keys.append(hash << 1 | 1)
                cards.append(card)
            }
            contact.forEachPhoneNumberBytes { bytes in
                guard let key = MatchKeys.phone(utf8: bytes) else { return }
                keys.append(key << 1)
                cards.append(card)
            }
        }
        radixSort(&keys, carrying: &cards)
        var sharing = Array(repeating: false, count: contacts.count)
        var index = 1
        while index < keys.count {
            if keys[index] == keys[index - 1] {
                sharing[Int(cards[index])] = true
                sharing[Int(cards[index - 1])] = true
            }
            index += 1
        }
        return sharing
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
