/// Checks for the names and ids users type.
public enum Identifiers {
    /// A mod name as the portal allows it: letters, digits, `-` and `_`, 1–100 characters.
    public static func isValidModName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 100 else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_": return true
            default: return false
            }
        }
    }

    /// An image id: the SHA1 of the image, 40 hexadecimal characters (stored lower-case).
    public static func normalizedImageID(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.count == 40, lower.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) })
        else { return nil }
        return lower
    }
}
