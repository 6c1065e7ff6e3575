import Foundation
import Testing
@testable import FieldbookCatalogs

/// The bundled resources must be exact copies of `../shared/catalogs` (run
/// `Scripts/import-catalogs.sh` after that folder changes).
struct CatalogResourcesTests {
    static let sharedFolder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/catalogs")

    static var sharedPresent: Bool { FileManager.default.fileExists(atPath: sharedFolder.path) }

    @Test("bundled catalog files equal ../shared/catalogs", .enabled(if: sharedPresent, "../shared/catalogs is not beside the package"))
    func resourcesMatchShared() throws {
        let bundled = try #require(CatalogLibrary.bundledFolder)
        for name in CatalogLibrary.fileNames {
            let ours = try Data(contentsOf: bundled.appendingPathComponent(name))
            let theirs = try Data(contentsOf: Self.sharedFolder.appendingPathComponent(name))
            #expect(ours == theirs, "\(name) differs from ../shared/catalogs; run Scripts/import-catalogs.sh")
        }
    }
}
