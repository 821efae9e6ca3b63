extension StringProtocol {
    /// True when nothing in it would show: every scalar is white space or a control
    /// character. Readers take such a value for no value, as they do an empty one, so that
    /// a record made only of them is skipped with its reason when it is read, rather than
    /// kept and then written as nothing by the formats that cannot hold control characters.
    package var isBlankText: Bool {
        for scalar in unicodeScalars {
            let value = scalar.value
            if value > 0x20 && value < 0x7F { return false }
            if value < 0x80 { continue }
            if !scalar.properties.isWhitespace && scalar.properties.generalCategory != .control { return false }
        }
        return true
    }
}

extension Optional where Wrapped == String {
    /// Nil for nil or blank text (`isBlankText`), as contacts want absent values.
    package var absentIfBlank: String? {
        guard let self, !self.isBlankText else { return nil }
        return self
    }
}
