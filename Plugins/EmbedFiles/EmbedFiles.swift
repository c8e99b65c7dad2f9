import Foundation
import PackagePlugin

/// Builds the package's own rule pack and mapping files into the program: every file under
/// `rules/` and `mappings/` becomes a string in a generated Swift file of the target that uses
/// the plugin, so that `mayak` works from any folder with nothing installed beside it.
@main
struct EmbedFiles: BuildToolPlugin {
    /// The folders of the package whose files are built in, relative to its root.
    static let folders = ["rules", "mappings"]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        var inputs: [URL] = []
        for folder in Self.folders {
            let base = root.appending(path: folder)
            guard let walk = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
            else { continue }
            for case let url as URL in walk where !url.lastPathComponent.hasPrefix(".") {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true { inputs.append(url) }
            }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "Embedded.swift")
        return [
            .buildCommand(
                displayName: "Building in \(Self.folders.joined(separator: " and "))",
                executable: try context.tool(named: "EmbedFilesTool").url,
                arguments: [output.path, root.path] + inputs.map(\.path),
                inputFiles: inputs, outputFiles: [output])
        ]
    }
}
