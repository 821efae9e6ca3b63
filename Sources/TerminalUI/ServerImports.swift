import ImportCore

/// With `tui --server` the imports run on a server, and the picker accounts for it. A file
/// is uploaded on the server's page: a path on this machine means nothing there, so file
/// services ask for none. The protocol has no list of the services a server offers, so
/// every service is offered, and one the server refused (261) is marked with its refusal.
extension AppModel {
    /// The form to fill before `service` begins; nil when it begins at once.
    func form(for service: ServiceDescriptor) -> FormState? {
        if server != nil && ServiceGroup.of(service) == .file { return nil }
        return FormState.forService(service)
    }

    /// The form with the values an import was started with, for a correction after a failure.
    func form(for service: ServiceDescriptor, filledWith parameters: [String: String]) -> FormState? {
        if server != nil && ServiceGroup.of(service) == .file { return nil }
        return FormState.forService(service, filledWith: parameters)
    }

    /// Marks `service` in the picker when the server said it does not offer it.
    mutating func noteRefusal(_ error: ImportError, of service: ServiceDescriptor) {
        guard server != nil, error.code == .serviceNotRecognised else { return }
        for position in picker.entries.indices where picker.entries[position].service.code == service.code {
            picker.entries[position].refusal = "not offered by this server (error \(error.code.rawValue))"
        }
    }

    /// What the picker says of a service beside its name, with the style it is said in.
    func pickerNote(_ entry: PickerEntry) -> (text: String, isWarning: Bool) {
        if let refusal = entry.refusal { return (refusal, true) }
        if let reason = entry.unavailableReason { return (reason, false) }
        if server != nil && entry.group == .file { return ("uploaded on the server's page", false) }
        return (entry.service.summary, false)
    }
}
