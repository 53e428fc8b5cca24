using System.Security.Cryptography;

namespace GeoDns.IntegrationTests;

/// <summary>Writes a TSIG key file as <c>tsig-keygen</c> does (mode 0600); returns the base64 secret.</summary>
public static class TsigKeyText
{
    public static string Write(string path, string name, string algorithm = "hmac-sha256")
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, $"key \"{name}\" {{\n\talgorithm {algorithm};\n\tsecret \"{secret}\";\n}};\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secret;
    }
}
