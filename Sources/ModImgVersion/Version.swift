/// The one version of this package: `--version` of both executables and the portal
/// client's User-Agent say this.
public enum ModImgVersion {
    public static let current = "0.1.0"
}
