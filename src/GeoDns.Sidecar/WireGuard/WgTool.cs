using System.Diagnostics;

namespace GeoDns.Sidecar.WireGuard;

/// <summary>
/// The <c>wg</c> command of wireguard-tools. Keys come from it when it is installed, because it is
/// the reference implementation; the private key travels only through its stdin and stdout.
/// </summary>
public sealed class WgTool(string path)
{
    public string Path { get; } = path;

    /// <summary>The <c>wg</c> on PATH, or null.</summary>
    public static WgTool? Find() => Executables.Find("wg") is { } path ? new WgTool(path) : null;

    /// <summary>A key pair, or null if <c>wg</c> fails for any reason (the caller falls back to NSec).</summary>
    public KeyPair? TryGenerate()
    {
        var privateKey = Run("genkey", null);
        var publicKey = privateKey is null ? null : Run("pubkey", privateKey);
        return KeyPair.IsValidKey(privateKey) && KeyPair.IsValidKey(publicKey) ? new KeyPair(privateKey!, publicKey!) : null;
    }

    /// <summary>The public key of <paramref name="privateKey"/> by <c>wg pubkey</c>, or null.</summary>
    public string? PublicKey(string privateKey) => Run("pubkey", privateKey);

    private string? Run(string command, string? input)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Path, command)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            if (input is not null) process.StandardInput.WriteLine(input);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.StandardError.ReadToEnd();
            return process.WaitForExit(5000) && process.ExitCode == 0 ? output : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null;
        }
    }
}
