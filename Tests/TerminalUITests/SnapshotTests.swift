import Foundation
import ImportCore
import Testing
@testable import TerminalUI

/// Every screen at three sizes, compared with text captures under `Snapshots/`.
/// `SNAPSHOT_RECORD=1 swift test --filter SnapshotTests` rewrites them after a deliberate change.
struct SnapshotTests {
    static let sizes: [(Int, Int)] = [(80, 24), (120, 40), (40, 12)]

    static let screens: [(String, @Sendable (Int, Int) -> AppModel)] = [
        ("picker", { w, h in Fixtures.model(width: w, height: h) }),
        ("picker-filtered", { w, h in
            var m = Fixtures.model(width: w, height: h)
            Fixtures.type(&m, "mail")
            return m
        }),
        ("picker-needs-setup", { w, h in Fixtures.keylessModel(width: w, height: h) }),
        ("picker-not-available", { w, h in
            var m = Fixtures.keylessModel(width: w, height: h)
            Fixtures.press(&m, .end, .enter, .down)
            return m
        }),
        ("setup", { w, h in
            var m = Fixtures.keylessModel(width: w, height: h)
            Fixtures.type(&m, "gmail")
            Fixtures.press(&m, .enter)
            return m
        }),
        ("form-file", { w, h in
            var m = Fixtures.model(width: w, height: h)
            Fixtures.type(&m, "vcard")
            Fixtures.press(&m, .enter)
            Fixtures.type(&m, "~/Downloads/phone.vcf")
            return m
        }),
        ("form-password", { w, h in
            var m = Fixtures.model(width: w, height: h)
            m.form = FormState.forService(ServiceCatalog.standard.service(named: "icloud")!)
            m.stack = [.picker, .form]
            Fixtures.type(&m, "ada@icloud.example")
            Fixtures.press(&m, .down)
            Fixtures.type(&m, "secret")
            return m
        }),
        ("form-carddav", { w, h in
            var m = Fixtures.model(width: w, height: h)
            Fixtures.type(&m, "carddav")
            Fixtures.press(&m, .enter)
            Fixtures.type(&m, "https://cloud.example.org/remote.php/dav")
            Fixtures.press(&m, .enter)
            Fixtures.type(&m, "ada")
            Fixtures.press(&m, .enter)
            Fixtures.type(&m, "secret")
            Fixtures.press(&m, .tab)
            Fixtures.type(&m, "Work")
            return m
        }),
        ("consent", { w, h in Fixtures.consent(width: w, height: h) }),
        ("consent-code", { w, h in Fixtures.consentWithCode(width: w, height: h) }),
        ("consent-paste", { w, h in Fixtures.consentTakingPaste(width: w, height: h) }),
        ("consent-paste-refused", { w, h in
            var m = Fixtures.consentTakingPaste(width: w, height: h)
            Fixtures.press(&m, .character("p"))
            Fixtures.type(&m, "http://127.0.0.1:40117/?state=other&code=4/0AeaY")
            Fixtures.press(&m, .enter)
            m.apply(.pasteAnswered(importID: 1_234_567, refusal: "The address belongs to another sign-in (its state does not match this import's)."))
            return m
        }),
        ("progress", { w, h in Fixtures.gathering(width: w, height: h) }),
        ("progress-unknown-total", { w, h in Fixtures.gathering(width: w, height: h, total: nil) }),
        ("progress-error", { w, h in Fixtures.failed(width: w, height: h) }),
        ("progress-complete", { w, h in
            var m = Fixtures.completed(width: w, height: h)
            Fixtures.press(&m, .character("q"))
            return m
        }),
        ("browser", { w, h in Fixtures.completed(width: w, height: h) }),
        ("browser-filter", { w, h in
            var m = Fixtures.completed(width: w, height: h)
            Fixtures.press(&m, .character("/"))
            Fixtures.type(&m, "an")
            return m
        }),
        ("browser-selection", { w, h in
            var m = Fixtures.completed(width: w, height: h)
            Fixtures.press(&m, .character("s"), .character(" "), .character(" "), .character("j"))
            m.message = nil
            return m
        }),
        ("detail", { w, h in
            var m = Fixtures.completed(width: w, height: h)
            Fixtures.press(&m, .enter)
            return m
        }),
        ("merge", { w, h in
            var m = Fixtures.completed(width: w, height: h)
            Fixtures.findDuplicates(&m)
            return m
        }),
        ("merge-searching", { w, h in
            var m = Fixtures.completed(width: w, height: h)
            guard case .findDuplicates(let job) = m.handle(.character("M")).first else { return m }
            m.apply(.mergeProgress(search: job.search, checked: 16, total: job.contacts.count))
            return m
        }),
        ("export", { w, h in
            var m = Fixtures.completed(width: w, height: h)
            Fixtures.press(&m, .character("e"))
            return m
        }),
        ("export-overwrite", { w, h in
            var m = Fixtures.completed(width: w, height: h)
            Fixtures.press(&m, .character("e"))
            let files = FileSystemView(list: { _ in [] }, exists: { _ in true }, homeDirectory: "/users/someone")
            _ = m.handle(.enter, files: files)
            return m
        }),
        ("export-failed", { w, h in
            var m = Fixtures.completed(width: w, height: h)
            Fixtures.press(&m, .character("e"), .tab, .tab, .control("u"))
            Fixtures.type(&m, "missing/friends.ldif")
            _ = m.handle(.enter)
            m.apply(.exportFailed(path: "missing/friends.ldif", message: "No such file or directory"))
            return m
        }),
        ("help", { w, h in
            var m = Fixtures.completed(width: w, height: h)
            Fixtures.press(&m, .character("?"))
            return m
        }),
        ("confirm-quit", { w, h in
            var m = Fixtures.gathering(width: w, height: h)
            Fixtures.press(&m, .character("q"), .escape)
            return m
        }),
        ("confirm-discard", { w, h in
            var m = Fixtures.completed(width: w, height: h)
            Fixtures.press(&m, .character("Q"))
            return m
        }),
    ]

    static var snapshotDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    }

    static let cases: [(String, Int, Int)] = screens.flatMap { screen in sizes.map { (screen.0, $0.0, $0.1) } }
        + [("consent-ascii", 80, 24), ("consent-ascii", 120, 40)]

    @Test(arguments: cases.map { "\($0.0)@\($0.1)x\($0.2)" })
    func screenMatchesItsSnapshot(_ name: String) throws {
        let parts = name.split(separator: "@")
        let screen = String(parts[0])
        let size = parts[1].split(separator: "x").map { Int($0)! }
        let model: AppModel
        if screen == "consent-ascii" {
            model = Fixtures.consent(width: size[0], height: size[1], glyphs: .ascii)
        } else {
            model = Self.screens.first { $0.0 == screen }!.1(size[0], size[1])
        }
        let frame = Renderer.render(model)
        #expect(frame.width == size[0] && frame.height == size[1])
        for line in frame.lines { #expect(DisplayWidth.of(line) == size[0], "\(name): every row fills the width exactly") }
        let text = frame.text + "\n"
        let file = Self.snapshotDirectory.appendingPathComponent("\(screen)-\(size[0])x\(size[1]).txt")
        if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: Self.snapshotDirectory, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "\(name) differs from its snapshot:\n\(text)")
    }
}
