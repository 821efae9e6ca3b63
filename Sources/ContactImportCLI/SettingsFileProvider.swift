import Configuration
import Settings

extension SettingsFile {
    static let providerName = "settings file"

    /// The file's values for a `ConfigReader`, secrets marked so that the reader's access
    /// log and descriptions hide them. Empty values count as not set.
    var provider: InMemoryProvider {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (name, entry) in entries where !entry.value.isEmpty {
            values[AbsoluteConfigKey(ConfigKey(name))] = ConfigValue(.string(entry.value), isSecret: Setting.named(name)?.isSecret ?? true)
        }
        return InMemoryProvider(name: Self.providerName, values: values)
    }
}
