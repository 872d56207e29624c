extern alias sdk;

using System.Text.Json;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Signing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Client = sdk::CreditExchange.Client;

namespace CreditExchange.Tests.Signing;

/// <summary>
/// The bytes an agency signs are defined once (creditexchange.api.v1.SigningInput) and built alike by the hub and the
/// three SDKs: each checks the same vector, clients/testdata/signing-vector.json (the TypeScript and Python suites
/// check it too, in ForeignSdkTests).
/// </summary>
public sealed class SigningVectorTests
{
    private static readonly JsonElement Vector = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "clients", "testdata", "signing-vector.json"))).RootElement;

    [Fact]
    public void HubAndCSharpSdk_BuildTheVectorsBytes()
    {
        var request = JsonParser.Default.Parse<SubmitRecordRequest>(Vector.GetProperty("request").GetRawText());
        var signedAt = Timestamp.Parser.ParseJson($"\"{Vector.GetProperty("signedAt").GetString()}\"");
        var nonce = ByteString.CopyFrom(Convert.FromHexString(Vector.GetProperty("nonceHex").GetString()!));
        var method = Vector.GetProperty("method").GetString()!;
        var agency = Vector.GetProperty("agencyId").GetString()!;
        var expected = Vector.GetProperty("signingInputHex").GetString();
        Assert.NotNull(request.Signature);

        var hub = RequestSigning.SigningInputBytes(method, agency, request,
            new Contracts.Api.V1.RequestSignature { SignedAt = signedAt, Nonce = nonce });
        var sdkRequest = new sdk::CreditExchange.Contracts.Records.V1.SubmitRecordRequest();
        sdkRequest.MergeFrom(request.ToByteArray());
        var client = Client.RequestSigner.SigningInputBytes(method, agency, sdkRequest, signedAt, nonce);

        Assert.Equal(expected, Convert.ToHexStringLower(hub));
        Assert.Equal(expected, Convert.ToHexStringLower(client));
        Assert.Equal(Vector.GetProperty("requestSha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(hub)));
        // The request's own signature was left out, and put back.
        Assert.NotNull(request.Signature);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CreditExchange.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
