// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for the decoders that read bytes from outside: change batches, pull pages
// and pull requests, bundle files. A package of its own so that `swift build` in the main
// package never builds them; Scripts/fuzz.sh builds and runs them with the sanitizer flags
// (-sanitize=fuzzer,address -parse-as-library: libFuzzer supplies `main`).
let package = Package(
    name: "FieldbookFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Named, so the products resolve whatever the checkout's folder is called.
        .package(name: "Fieldbook", path: ".."),
    ],
    targets: [
        // Declares libFuzzer's driver for Swift (see FuzzSupport's `runLibFuzzer`).
        .target(name: "CFuzzerDriver"),
        // The seed corpus, written with the real encoders (each target writes its own seeds
        // when FIELDBOOK_FUZZ_SEEDS names a folder), and the input plumbing the targets share.
        .target(
            name: "FuzzSupport",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "FieldbookModel", package: "Fieldbook"),
                .product(name: "FieldbookReplica", package: "Fieldbook"),
                .product(name: "FieldbookWire", package: "Fieldbook"),
                .product(name: "FieldbookSync", package: "Fieldbook"),
            ]
        ),
        .executableTarget(
            name: "FuzzChangeBatch",
            dependencies: ["FuzzSupport", .product(name: "FieldbookReplica", package: "Fieldbook")]
        ),
        .executableTarget(
            name: "FuzzPullPage",
            dependencies: [
                "FuzzSupport",
                .product(name: "FieldbookReplica", package: "Fieldbook"),
                .product(name: "FieldbookWire", package: "Fieldbook"),
            ]
        ),
        .executableTarget(
            name: "FuzzBundle",
            dependencies: ["FuzzSupport", .product(name: "FieldbookSync", package: "Fieldbook")]
        ),
    ]
)
