using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;

namespace CreditExchange.Tests.ClientSdk;

/// <summary>
/// Each SDK installed the way an agency's developer installs it, outside the repository: the C# package from a
/// local folder feed into a new console project (built for net8.0 and net10.0, run on net10.0 against a live hub),
/// the TypeScript tarball into a default `npm init` project compiled as CommonJS and as ESM, the Python SDK into a
/// fresh virtual environment offline. Everything is made in a temporary folder, deleted afterwards.
/// In the "postgres" collection: it needs a hub, and `npm pack` rebuilds clients/typescript/dist, which
/// <see cref="ForeignSdkTests"/> (same collection, so never at the same time) runs.
/// </summary>
[Collection("postgres")]
public sealed class SdkPackagingTests(PostgresFixture postgres)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(10);

    // The TypeScript a default project gets today with `npm i -D typescript` (the registry's latest), pinned so
    // that a new release cannot change the outcome unseen.
    private const string TypeScriptVersion = "7.0.2";

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task DotnetPackage_FromLocalFolderFeed_OutsideConsoleProjectBuildsForNet8AndNet10AndCallsHub()
    {
        using var temp = new TempFolder("dotnet");
        var repo = RepositoryRoot();
        var version = File.ReadAllText(Path.Combine(repo, "clients", "VERSION")).Trim();
        // A pre-release suffix of its own, so no package of an earlier run can stand in for this one.
        var packageVersion = $"{version}-packtest.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = temp.Create("feed");
        var project = Path.Combine(repo, "clients", "dotnet", "CreditExchange.Client", "CreditExchange.Client.csproj");

        await RunAsync(repo, "dotnet", ["pack", project, "-c", Configuration, "-o", feed, "--version-suffix", packageVersion[(version.Length + 1)..], "-nologo"]);

        var nupkg = Path.Combine(feed, $"CreditExchange.Client.{packageVersion}.nupkg");
        Assert.True(File.Exists(nupkg), $"dotnet pack made {string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName))}, not {Path.GetFileName(nupkg)}");
        using (var package = ZipFile.OpenRead(nupkg))
        {
            var entries = package.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("lib/net8.0/CreditExchange.Client.dll", entries);
            Assert.Contains("lib/net10.0/CreditExchange.Client.dll", entries);
            Assert.Contains("README.md", entries);
        }

        // The outside project: its own nuget.config adds the folder feed to the machine's configured sources. Its
        // packages folder is fresh (the package is extracted from this feed, not found in a cache); the machine's
        // packages folder is a fallback for everything else (Grpc.Net.Client, the .NET 8 reference pack, ...).
        var app = temp.Create("app");
        var packages = temp.Create("packages");
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="creditexchange-local" value="{feed}" />
              </packageSources>
              <config>
                <add key="globalPackagesFolder" value="{packages}" />
              </config>
              <fallbackPackageFolders>
                <add key="machine" value="{machinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "OutsideApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFrameworks>net8.0;net10.0</TargetFrameworks>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CreditExchange.Client" Version="{packageVersion}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System.Reflection;
            using System.Runtime.Versioning;
            using CreditExchange.Client;
            using CreditExchange.Contracts.Receipts.V1;
            using CreditExchange.Contracts.Records.V1;

            using var hub = CreditExchangeClient.Create(new Uri(args[0]), "court", args[1], args[2], args[3]);
            var keys = await hub.Receipts.GetReceiptKeysAsync(new GetReceiptKeysRequest());
            var found = await hub.Records.ListSubjectRecordsAsync(new ListSubjectRecordsRequest
            {
                Subject = new SubjectKey { CreditCode = args[4] }, PageSize = 20,
            });
            var sdk = typeof(CreditExchangeClient).Assembly;
            Console.WriteLine($"sdk {sdk.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion} for {sdk.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName}");
            Console.WriteLine($"receipt keys {keys.Keys.Count}, records {found.Records.Count}");
            """);
        var env = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages };

        await RunAsync(app, "dotnet", ["build", "-c", "Release", "-nologo"], env);

        // The net8.0 build (no .NET 8 runtime needed to build) took the package's net8.0 assembly.
        Assert.Equal(
            EntryHash(nupkg, "lib/net8.0/CreditExchange.Client.dll"),
            Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(app, "bin", "Release", "net8.0", "CreditExchange.Client.dll")))));
        Assert.True(File.Exists(Path.Combine(app, "bin", "Release", "net8.0", "OutsideApp.dll")));
        Assert.True(Directory.Exists(Path.Combine(packages, "creditexchange.client", packageVersion.ToLowerInvariant())), "the package was not restored from the folder feed into the project's packages folder");

        await using var live = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        var certs = TestCertificates.Set;
        var output = await RunAsync(app, "dotnet", [
            Path.Combine(app, "bin", "Release", "net10.0", "OutsideApp.dll"),
            live.Address.ToString(), certs.AgencyCertificate("court"), certs.AgencyKey("court"), certs.CaCertificate, TestData.NewCreditCode(),
        ], env);

        Assert.Contains($"sdk {packageVersion}", output, StringComparison.Ordinal);
        Assert.Contains(".NETCoreApp,Version=v10.0", output, StringComparison.Ordinal);
        Assert.Matches(@"receipt keys [1-9]\d*, records 0", output);
    }

    [Fact]
    public async Task TypeScriptTarball_InDefaultNpmInitProject_CompilesAsCommonJsAndAsEsm()
    {
        using var temp = new TempFolder("typescript");
        var repo = RepositoryRoot();
        var version = File.ReadAllText(Path.Combine(repo, "clients", "VERSION")).Trim();
        var pack = temp.Create("pack");

        // npm pack builds first (prepack: both the ESM and the CommonJS output).
        await RunAsync(Path.Combine(repo, "clients", "typescript"), "npm", ["pack", "--pack-destination", pack]);
        var tarball = Path.Combine(pack, $"creditexchange-client-{version}.tgz");
        Assert.True(File.Exists(tarball), $"npm pack made {string.Join(", ", Directory.GetFiles(pack).Select(Path.GetFileName))}");

        var certs = TestCertificates.Set;
        var create = $$"""
            createHubClient({ baseUrl: "https://localhost:5443", agencyId: "court",
              certFile: {{Js(certs.AgencyCertificate("court"))}}, keyFile: {{Js(certs.AgencyKey("court"))}}, caFile: {{Js(certs.CaCertificate)}} })
            """;

        // CommonJS: `npm init -y` says "type": "commonjs"; the tsconfig is `tsc --init`'s, untouched (module nodenext,
        // verbatimModuleSyntax: so a CommonJS file imports with `import x = require(...)`).
        var cjs = await NpmProjectAsync(temp.Create("cjs"), tarball, esm: false);
        File.WriteAllText(Path.Combine(cjs, "index.ts"), $$"""
            import ce = require("@creditexchange/client");
            import type { HubClient } from "@creditexchange/client";
            import records = require("@creditexchange/client/gen/creditexchange/records/v1/records_pb");

            const hub: HubClient = ce.{{create}};
            // Compiled, never run: it must not compile, since agencyId is a string (the package's own types are used, not any).
            function neverCalled(): void {
              // @ts-expect-error agencyId is a string
              ce.createHubClient({ baseUrl: "https://localhost:5443", agencyId: 7, certFile: "c", keyFile: "k", caFile: "ca" });
            }
            void neverCalled;
            const categories: number = records.Category.JUDICIAL_JUDGMENT;
            console.log("cjs", typeof hub.records.listSubjectRecords, categories > 0, ce.IDEMPOTENT_METHODS.size > 0);
            """);
        await RunAsync(cjs, "npx", ["tsc", "-p", "."]);
        Assert.Equal("cjs function true true", (await RunAsync(cjs, "node", ["index.js"])).Trim());

        // The tsconfig most existing CommonJS projects have (tsc --init before TypeScript 5.9): module commonjs,
        // esModuleInterop, and import declarations.
        File.WriteAllText(Path.Combine(cjs, "tsconfig.classic.json"), """
            { "compilerOptions": { "target": "es2016", "module": "commonjs", "esModuleInterop": true, "strict": true,
                "skipLibCheck": true, "outDir": "classic" }, "files": ["classic.ts"] }
            """);
        // (Written after the default compile, which would take in every .ts file of the folder.)
        File.WriteAllText(Path.Combine(cjs, "classic.ts"), $$"""
            import { createHubClient, CreditExchangeError, type HubClient } from "@creditexchange/client";
            const hub: HubClient = {{create}};
            console.log("classic", typeof hub.records.listSubjectRecords, typeof CreditExchangeError);
            """);

        await RunAsync(cjs, "npx", ["tsc", "-p", "tsconfig.classic.json"]);
        Assert.Equal("classic function function", (await RunAsync(cjs, "node", [Path.Combine("classic", "classic.js")])).Trim());
        Assert.EndsWith(
            Path.Combine("@creditexchange", "client", "dist", "cjs", "index.js"),
            (await RunAsync(cjs, "node", ["-p", "require.resolve('@creditexchange/client')"])).Trim(),
            StringComparison.Ordinal);

        // ESM: "type": "module", the same untouched tsconfig (module nodenext), import declarations, top-level await.
        var esm = await NpmProjectAsync(temp.Create("esm"), tarball, esm: true);
        File.WriteAllText(Path.Combine(esm, "index.ts"), $$"""
            import { createHubClient, CreditExchangeError, IDEMPOTENT_METHODS, type HubClient } from "@creditexchange/client";
            import { Category } from "@creditexchange/client/gen/creditexchange/records/v1/records_pb";

            const hub: HubClient = {{create}};
            // Compiled, never run: it must not compile, since agencyId is a string (the package's own types are used, not any).
            function neverCalled(): void {
              // @ts-expect-error agencyId is a string
              createHubClient({ baseUrl: "https://localhost:5443", agencyId: 7, certFile: "c", keyFile: "k", caFile: "ca" });
            }
            void neverCalled;
            await Promise.resolve();
            console.log("esm", typeof hub.records.listSubjectRecords, Category.JUDICIAL_JUDGMENT > 0, IDEMPOTENT_METHODS.size > 0, typeof CreditExchangeError);
            """);

        await RunAsync(esm, "npx", ["tsc", "-p", "."]);
        Assert.Equal("esm function true true function", (await RunAsync(esm, "node", ["index.js"])).Trim());
        Assert.EndsWith(
            "/@creditexchange/client/dist/index.js",
            (await RunAsync(esm, "node", ["--input-type=module", "-e", "console.log(import.meta.resolve('@creditexchange/client'))"])).Trim(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonSdk_OfflineInstallIntoFreshVenv_ImportsEveryGeneratedModuleAndLeavesRepositoryUntouched()
    {
        using var temp = new TempFolder("python");
        var repo = RepositoryRoot();
        var sdk = Path.Combine(repo, "clients", "python");
        // Debian's python3 carries python3-grpcio, python3-protobuf, python3-cryptography and python3-asn1crypto
        // (tests/test.sh installs them); the venv sees them through --system-site-packages.
        var python = Environment.GetEnvironmentVariable("CREDITEXCHANGE_PYTHON") ?? "/usr/bin/python3";
        var before = await RunAsync(repo, "git", ["status", "--porcelain", "--ignored", "--untracked-files=all", "--", "clients/python"]);

        var venv = Path.Combine(temp.Path, "venv");
        await RunAsync(temp.Path, python, ["-m", "venv", "--system-site-packages", venv]);
        var venvPython = Path.Combine(venv, "bin", "python");
        // The README's command: no index, so nothing can come from the network.
        await RunAsync(repo, venvPython, ["-m", "pip", "install", "--no-index", "--disable-pip-version-check", "clients/python"]);

        var check = Path.Combine(temp.Path, "check.py");
        File.WriteAllText(check, """
            import importlib, importlib.util, os, sys

            repo_package, venv = sys.argv[1], sys.argv[2]
            spec = importlib.util.find_spec("creditexchange_client")  # finds it without running it
            package = os.path.dirname(spec.origin)
            assert os.path.realpath(package).startswith(os.path.realpath(venv) + os.sep), package

            def files(root):
                return sorted(os.path.relpath(os.path.join(d, f), root) for d, dirs, fs in os.walk(root)
                              if "__pycache__" not in d for f in fs if not f.endswith(".pyc"))

            missing = set(files(repo_package)) - set(files(package))
            assert not missing, "not installed: %s" % sorted(missing)

            # Every generated module first, on the path the package itself adds (_gen), before the package runs.
            gen = os.path.join(package, "_gen")
            sys.path.append(gen)
            modules = [p[:-3].replace(os.sep, ".") for p in files(gen) if p.endswith(".py")]
            for name in modules:
                importlib.import_module(name)

            import creditexchange_client as ce
            from creditexchange_client import client
            from creditexchange.records.v1 import records_pb2
            assert records_pb2.__file__.startswith(gen), records_pb2.__file__
            assert client.IDEMPOTENT_METHODS, "no idempotent methods read from the generated descriptors"
            assert callable(ce.connect) and issubclass(ce.CreditExchangeError, Exception)
            print("imported %d generated modules" % len(modules))
            """);
        var output = await RunAsync(temp.Path, venvPython, ["-B", check, Path.Combine(sdk, "src", "creditexchange_client"), venv]);

        var imported = System.Text.RegularExpressions.Regex.Match(output, @"imported (\d+) generated modules");
        Assert.True(imported.Success, output);
        var generated = Directory.GetFiles(Path.Combine(sdk, "src", "creditexchange_client", "_gen"), "*.py", SearchOption.AllDirectories).Length;
        Assert.Equal(generated.ToString(System.Globalization.CultureInfo.InvariantCulture), imported.Groups[1].Value);
        Assert.Equal(before, await RunAsync(repo, "git", ["status", "--porcelain", "--ignored", "--untracked-files=all", "--", "clients/python"]));
    }

    private static async Task<string> NpmProjectAsync(string folder, string tarball, bool esm)
    {
        await RunAsync(folder, "npm", ["init", "-y"]);
        if (esm)
        {
            await RunAsync(folder, "npm", ["pkg", "set", "type=module"]);
        }

        await RunAsync(folder, "npm", ["install", "--save-dev", "--no-audit", "--no-fund", $"typescript@{TypeScriptVersion}"]);
        await RunAsync(folder, "npm", ["install", "--no-audit", "--no-fund", tarball]);
        await RunAsync(folder, "npx", ["tsc", "--init"]);
        return folder;
    }

    private static string Js(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static string EntryHash(string zip, string entry)
    {
        using var archive = ZipFile.OpenRead(zip);
        using var stream = archive.GetEntry(entry)!.Open();
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    /// <summary>Runs a command to its exit (at most <see cref="StepTimeout"/>) and answers its output; fails the test, with that output, on a non-zero exit.</summary>
    private static async Task<string> RunAsync(string folder, string command, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host runs under `dotnet test`, whose MSBuild settings must not leak into the builds started here.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["NPM_CONFIG_UPDATE_NOTIFIER"] = "false";
        start.Environment["NODE_NO_WARNINGS"] = "1";
        start.Environment["PIP_NO_INPUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', args)} (in {folder}) ran longer than {StepTimeout}:\n{await stdout}\n{await stderr}");
        }

        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', args)} (in {folder}) exited {process.ExitCode}:\n{output}\n{await stderr}");
        return output;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "clients")) && File.Exists(Path.Combine(dir.FullName, "CreditExchange.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with clients/) was not found above the test binaries.");
    }

    /// <summary>A folder under the system's temporary folder, outside the repository, deleted on dispose.</summary>
    private sealed class TempFolder : IDisposable
    {
        public TempFolder(string name)
        {
            Path = Directory.CreateTempSubdirectory($"creditexchange-sdk-{name}-").FullName;
        }

        public string Path { get; }

        public string Create(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
