using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Receipts;
using CreditExchange.Server.Audit;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditExchange.Tests.Audit;

/// <summary>The audit trail over real PostgreSQL: every call leaves an entry; tampering is pinpointed.</summary>
[Collection("postgres")]
public sealed class AuditTrailTests(PostgresFixture postgres) : IAsyncLifetime
{
    private HubHost _hub = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync();
        // Sealing is driven by the tests (SealAsync) so that tampering races with nothing.
        _hub = await HubHost.StartAsync(_connectionString, new Dictionary<string, string?> { ["Hub:Audit:SealInterval"] = "00:01:00" });
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private AuditService.AuditServiceClient Audit(string agencyId = "supervision") => new(_hub.AgencyChannel(agencyId));

    [Fact]
    public async Task EveryCall_AcceptedDeniedOrFailed_LeavesOneEntryWithItsOutcome()
    {
        var residentId = TestData.NewResidentId();
        var accepted = await _hub.Records("supervision").SubmitRecordAsync(
            TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject(residentId)),
            new Metadata { { "x-purpose", "quarterly reporting" } });
        var denied = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("drc").SubmitRecordAsync(TestData.Submission()).ResponseAsync);
        var invalid = TestData.Submission();
        invalid.Record.DecisionDate = "2025-02-30";
        var failed = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("court").SubmitRecordAsync(invalid).ResponseAsync);
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() =>
            _hub.Records(TestCertificates.Agency(TestCertificates.UnregisteredAgency)).GetRecordAsync(new GetRecordRequest { RecordId = accepted.Record.RecordId }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, failed.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);

        var entries = (await Audit().ListAuditEntriesAsync(new ListAuditEntriesRequest { PageSize = 100 })).Entries;

        var submit = Assert.Single(entries, e => e.AgencyId == "supervision" && e.Method.EndsWith("/SubmitRecord", StringComparison.Ordinal));
        Assert.Equal(0, submit.Outcome.Code);
        Assert.Equal("quarterly reporting", submit.Purpose);
        Assert.Equal([accepted.Record.RecordId], submit.RecordIds);
        Assert.Single(submit.SubjectHashes);
        Assert.Matches("^[0-9a-f]{64}$", submit.CertificateThumbprint);
        Assert.DoesNotContain(residentId, submit.ToString(), StringComparison.Ordinal);

        var drc = Assert.Single(entries, e => e.AgencyId == "drc" && e.Method.EndsWith("/SubmitRecord", StringComparison.Ordinal));
        Assert.Equal((int)StatusCode.PermissionDenied, drc.Outcome.Code);
        Assert.Equal("SCOPE_MISSING", drc.Outcome.Reason);

        var court = Assert.Single(entries, e => e.AgencyId == "court");
        Assert.Equal((int)StatusCode.InvalidArgument, court.Outcome.Code);
        Assert.Equal("INVALID_REQUEST", court.Outcome.Reason);

        var stranger = Assert.Single(entries, e => e.Method.EndsWith("/GetRecord", StringComparison.Ordinal));
        Assert.Equal("", stranger.AgencyId);
        Assert.Contains("unregistered", stranger.CertificateSubject, StringComparison.Ordinal);
        Assert.Equal((int)StatusCode.Unauthenticated, stranger.Outcome.Code);
        Assert.Equal("AGENCY_NOT_REGISTERED", stranger.Outcome.Reason);
        Assert.Equal([accepted.Record.RecordId], stranger.RecordIds);
    }

    [Fact]
    public async Task MalformedOrUnknownCall_RefusedBeforeAnyInterceptor_StillAudited()
    {
        var court = TestCertificates.Agency("court");
        var (malformed, _) = await RawGrpc.SendAsync(_hub.Address, "/creditexchange.records.v1.RecordService/GetRecord", [0x0a, 0x05, 0x01], court, await _hub.TokenAsync("court"));
        var (unknown, _) = await RawGrpc.SendAsync(_hub.Address, "/creditexchange.records.v1.RecordService/DropTables", [], court);
        Assert.Equal((int)StatusCode.InvalidArgument, malformed);
        Assert.Equal((int)StatusCode.Unimplemented, unknown);

        var entries = (await Audit().ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "court" })).Entries;

        var get = Assert.Single(entries, e => e.Method.EndsWith("/GetRecord", StringComparison.Ordinal));
        Assert.Equal((int)StatusCode.InvalidArgument, get.Outcome.Code);
        Assert.Equal("MALFORMED_MESSAGE", get.Outcome.Reason);
        var drop = Assert.Single(entries, e => e.Method.EndsWith("/DropTables", StringComparison.Ordinal));
        Assert.Equal((int)StatusCode.Unimplemented, drop.Outcome.Code);
    }

    [Fact]
    public async Task ListAuditEntries_BySubjectInClear_FindsEveryAccessToThatSubjectOnly()
    {
        var residentId = TestData.NewResidentId();
        var submitted = await _hub.Records("supervision").SubmitRecordAsync(
            TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject(residentId)));
        await _hub.Records("supervision").SubmitRecordAsync(TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject()));
        await _hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = submitted.Record.RecordId }, new Metadata { { "x-purpose", "appraisal" } });
        await _hub.Records("organization").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = new SubjectKey { ResidentId = residentId.ToLowerInvariant() } });

        var entries = (await Audit("drc").ListAuditEntriesAsync(new ListAuditEntriesRequest { Subject = new SubjectKey { ResidentId = residentId } })).Entries;

        Assert.Equal(["organization", "drc", "supervision"], entries.Select(e => e.AgencyId));
        Assert.Equal("appraisal", entries[1].Purpose);
        var byAgency = (await Audit("drc").ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "organization" })).Entries;
        Assert.All(byAgency, e => Assert.Equal("organization", e.AgencyId));
        Assert.NotEmpty(byAgency);
    }

    [Fact]
    public async Task ListAuditEntries_PagedAndByTime_CoversEachEntryOnce()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 5; i++)
        {
            await _hub.Records("court").SubmitRecordAsync(TestData.Submission());
        }

        var request = new ListAuditEntriesRequest { AgencyId = "court", PageSize = 2, From = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(start) };
        var seen = new List<long>();
        do
        {
            var page = await Audit().ListAuditEntriesAsync(request);
            seen.AddRange(page.Entries.Select(e => e.Sequence));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.OrderDescending(), seen);
        var bad = await Assert.ThrowsAsync<RpcException>(() => Audit().ListAuditEntriesAsync(new ListAuditEntriesRequest { PageToken = "garbage!" }).ResponseAsync);
        Assert.Equal("INVALID_PAGE_TOKEN", TestData.Reason(bad));
    }

    [Fact]
    public async Task AuditService_WithoutAuditScope_PermissionDenied()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Audit("court").VerifyAuditChainAsync(new VerifyAuditChainRequest()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("SCOPE_MISSING", TestData.Reason(e));
    }

    [Fact]
    public async Task VerifyAuditChain_Untouched_IntactWithSignedCheckpointOfTheHead()
    {
        var chain = await SealedChainAsync(4);

        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());
        var keys = (await new ReceiptService.ReceiptServiceClient(_hub.AgencyChannel("drc")).GetReceiptKeysAsync(new GetReceiptKeysRequest())).Keys;

        Assert.True(result.Intact, result.FirstProblem?.Description);
        Assert.Equal(chain.Count, result.SealedEntries);
        Assert.Equal(chain[^1].ChainPosition, result.HeadChainPosition);
        Assert.Equal(chain[^1].Sequence, result.LastSealedSequence);
        var checkpoint = ReceiptVerifier.VerifyCheckpoint(result.Checkpoint, keys);
        Assert.NotNull(checkpoint);
        Assert.Equal(result.HeadHash, checkpoint.EntryHash);
        Assert.Equal(result.HeadChainPosition, checkpoint.ChainPosition);
    }

    [Fact]
    public async Task VerifyAuditChain_TailDeletedBySql_CaughtByTheHubsOwnHeadAndByAKeptCheckpoint()
    {
        var chain = await SealedChainAsync(4);
        var kept = (await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest())).Checkpoint;

        await ExecuteAsync($"DELETE FROM audit_entries WHERE \"Sequence\" = {chain[^1].Sequence}");
        var alone = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());
        var withCheckpoint = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest { KnownCheckpoints = { kept } });

        // The hub that sealed the tail keeps its head: it finds the deletion with no checkpoint passed in.
        Assert.False(alone.Intact);
        Assert.Equal(Contracts.Audit.V1.ChainProblemKind.Truncated, alone.FirstProblem.Kind);
        Assert.False(withCheckpoint.Intact);
        Assert.Equal(Contracts.Audit.V1.ChainProblemKind.Truncated, withCheckpoint.FirstProblem.Kind);
        Assert.Equal(chain[^1].ChainPosition, withCheckpoint.FirstProblem.ExpectedChainPosition);
        var moved = ChainCheckpoint.Parser.ParseFrom(kept.Checkpoint);
        moved.ChainPosition = 1;
        var forged = kept.Clone();
        forged.Checkpoint = moved.ToByteString();
        var e = await Assert.ThrowsAsync<RpcException>(() => Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest { KnownCheckpoints = { forged } }).ResponseAsync);
        Assert.Equal("INVALID_CHECKPOINT", TestData.Reason(e));
    }

    [Fact]
    public async Task VerifyAuditChain_EntryUpdatedBySql_AlteredAtThatEntry()
    {
        var chain = await SealedChainAsync(6);
        var victim = chain[3];

        await ExecuteAsync($"UPDATE audit_entries SET \"Purpose\" = 'nothing to see' WHERE \"Sequence\" = {victim.Sequence}");
        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Intact);
        Assert.Equal(victim.Sequence, result.FirstProblem.Sequence);
        Assert.Equal(Contracts.Audit.V1.ChainProblemKind.Altered, result.FirstProblem.Kind);
    }

    [Fact]
    public async Task VerifyAuditChain_OutcomeRewrittenWithHashRecomputed_CaughtByMac()
    {
        var chain = await SealedChainAsync(6);
        var victim = chain[2];

        // An attacker who knows the chain scheme rewrites a success as a refusal and re-hashes the
        // chain from there (plain SHA-256: the keyed link needs the hub's key): the entry is named by its MAC.
        await ExecuteAsync($"UPDATE audit_entries SET \"StatusCode\" = 7, \"Reason\" = 'SCOPE_MISSING' WHERE \"Sequence\" = {victim.Sequence}");
        await using (var scope = _hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Storage.CreditDbContext>();
            var protector = scope.ServiceProvider.GetRequiredService<Server.Privacy.PersonalDataProtector>();
            var rows = db.AuditEntries.Where(e => e.ChainPosition >= victim.ChainPosition).OrderBy(e => e.ChainPosition).ToList();
            var previous = rows[0].PreviousHash!;
            foreach (var row in rows)
            {
                row.PreviousHash = previous;
                row.EntryHash = AuditChain.Hash(row, protector.OpenText(row.Purpose), previous, row.ChainPosition!.Value);
                previous = row.EntryHash;
            }

            await db.SaveChangesAsync();
        }

        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Intact);
        Assert.Equal(victim.Sequence, result.FirstProblem.Sequence);
        Assert.Equal(Contracts.Audit.V1.ChainProblemKind.Inserted, result.FirstProblem.Kind);
    }

    [Fact]
    public async Task VerifyAuditChain_EntryDeletedBySql_DeletedReportedAtItsSuccessor()
    {
        var chain = await SealedChainAsync(6);
        var victim = chain[2];

        await ExecuteAsync($"DELETE FROM audit_entries WHERE \"Sequence\" = {victim.Sequence}");
        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Intact);
        Assert.Equal(chain[3].Sequence, result.FirstProblem.Sequence);
        Assert.Equal(victim.ChainPosition, result.FirstProblem.ExpectedChainPosition);
        Assert.Equal(Contracts.Audit.V1.ChainProblemKind.Deleted, result.FirstProblem.Kind);
    }

    [Fact]
    public async Task VerifyAuditChain_EntryInsertedBySql_InsertedAtThatEntry()
    {
        var chain = await SealedChainAsync(4);

        // A forged entry written straight into the table, then sealed like any other.
        var forged = await ScalarAsync(
            "INSERT INTO audit_entries (\"At\", \"AgencyId\", \"Method\", \"SubjectHashes\", \"StatusCode\", \"RecordIds\", \"Mac\") " +
            "VALUES (now(), 'court', '/creditexchange.records.v1.RecordService/GetRecord', '', 0, '', '\\x00') RETURNING \"Sequence\"");
        await SealAsync();
        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Intact);
        Assert.Equal(forged, result.FirstProblem.Sequence);
        Assert.Equal(Contracts.Audit.V1.ChainProblemKind.Inserted, result.FirstProblem.Kind);
        Assert.True(forged > chain[^1].Sequence);
    }

    [Fact]
    public async Task VerifyAuditChain_SealedEntryCopiedInBySql_InsertedAtTheCopy()
    {
        var chain = await SealedChainAsync(5);
        var original = chain[1];

        // A copy of a genuine sealed entry (valid MAC and hash) slipped in with a fresh sequence.
        var copy = await ScalarAsync(
            "INSERT INTO audit_entries (\"At\", \"AgencyId\", \"CertificateSubject\", \"CertificateThumbprint\", \"Method\", \"SubjectHashes\", \"Purpose\", " +
            "\"StatusCode\", \"Reason\", \"RecordIds\", \"Mac\", \"ChainPosition\", \"PreviousHash\", \"EntryHash\") " +
            "SELECT \"At\", \"AgencyId\", \"CertificateSubject\", \"CertificateThumbprint\", \"Method\", \"SubjectHashes\", \"Purpose\", " +
            $"\"StatusCode\", \"Reason\", \"RecordIds\", \"Mac\", \"ChainPosition\", \"PreviousHash\", \"EntryHash\" FROM audit_entries WHERE \"Sequence\" = {original.Sequence} " +
            "RETURNING \"Sequence\"");
        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Intact);
        Assert.Equal(copy, result.FirstProblem.Sequence);
        Assert.Equal(Contracts.Audit.V1.ChainProblemKind.Inserted, result.FirstProblem.Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task VerifyAuditChain_EntryDeletedAndChainRecomputedWithoutKey_AlteredAtItsSuccessor(bool downgradeToV1)
    {
        var chain = await SealedChainAsync(6);
        var victim = chain[2];

        // A database writer without the hub's key deletes an entry, closes the gap in the positions and recomputes the
        // plain SHA-256 chain after it (optionally claiming the entries were sealed under the plain chain, version 1).
        await ExecuteAsync($"DELETE FROM audit_entries WHERE \"Sequence\" = {victim.Sequence}");
        await using (var scope = _hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Storage.CreditDbContext>();
            var protector = scope.ServiceProvider.GetRequiredService<Server.Privacy.PersonalDataProtector>();
            var rows = db.AuditEntries.Where(e => e.ChainPosition != null).OrderBy(e => e.ChainPosition).ToList();
            var previous = AuditChain.Genesis;
            long position = 0;
            foreach (var row in rows)
            {
                position++;
                if (row.ChainPosition >= victim.ChainPosition)
                {
                    row.ChainPosition = position;
                    row.PreviousHash = previous;
                    row.ChainVersion = downgradeToV1 ? 1 : row.ChainVersion;
                    row.EntryHash = AuditChain.Hash(row, protector.OpenText(row.Purpose), previous, position);
                }

                previous = row.EntryHash!;
            }

            await db.SaveChangesAsync();
        }

        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Intact);
        Assert.Equal(chain[3].Sequence, result.FirstProblem.Sequence);
        Assert.Equal(victim.ChainPosition, result.FirstProblem.ExpectedChainPosition);
        Assert.Equal(Contracts.Audit.V1.ChainProblemKind.Altered, result.FirstProblem.Kind);
    }

    [Fact]
    public async Task SealAuditChain_CopyOfAWrittenEntryUnderANewSequence_RefusedAndNamedAsInserted()
    {
        var chain = await SealedChainAsync(5);
        var original = chain[1];

        // A verbatim copy of a genuine entry (its MAC is the hub's) written under a fresh sequence, left for the hub to seal.
        var copy = await ScalarAsync(
            "INSERT INTO audit_entries (\"At\", \"AgencyId\", \"CertificateSubject\", \"CertificateThumbprint\", \"Method\", \"SubjectHashes\", \"Purpose\", " +
            "\"StatusCode\", \"Reason\", \"RecordIds\", \"Nonce\", \"Mac\") " +
            "SELECT \"At\", \"AgencyId\", \"CertificateSubject\", \"CertificateThumbprint\", \"Method\", \"SubjectHashes\", \"Purpose\", " +
            $"\"StatusCode\", \"Reason\", \"RecordIds\", \"Nonce\", \"Mac\" FROM audit_entries WHERE \"Sequence\" = {original.Sequence} " +
            "RETURNING \"Sequence\"");
        await MakeCallsAsync(1);
        await SealAsync();
        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Intact);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(copy, problem.Sequence);
        Assert.Equal(Contracts.Audit.V1.ChainProblemKind.Inserted, problem.Kind);
        Assert.Contains($"copy of entry {original.Sequence}", problem.Description, StringComparison.Ordinal);
        await using var scope = _hub.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Storage.CreditDbContext>();
        var stored = db.AuditEntries.Single(e => e.Sequence == copy);
        Assert.Null(stored.ChainPosition);
        // The genuine entry written after the copy is chained, under the keyed chain.
        Assert.All(db.AuditEntries.Where(e => e.ChainPosition != null).ToList(), e => Assert.Equal(AuditChain.KeyedVersion, e.ChainVersion));
    }

    [Fact]
    public async Task VerifyAuditChain_ChainOfAnEarlierHub_VerifiesAsPlainThenKeyedFromOnePosition()
    {
        var chain = await SealedChainAsync(4);
        // The database as an earlier hub left it: every entry, and segment 0, of the plain chain (version 1).
        await using (var scope = _hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Storage.CreditDbContext>();
            var protector = scope.ServiceProvider.GetRequiredService<Server.Privacy.PersonalDataProtector>();
            var previous = AuditChain.Genesis;
            foreach (var row in db.AuditEntries.Where(e => e.ChainPosition != null).OrderBy(e => e.ChainPosition).ToList())
            {
                row.ChainVersion = 1;
                row.PreviousHash = previous;
                row.EntryHash = AuditChain.Hash(row, protector.OpenText(row.Purpose), previous, row.ChainPosition!.Value);
                previous = row.EntryHash;
            }

            var segment = db.AuditSegments.Single();
            segment.ChainVersion = 1;
            segment.Mac = protector.AuditMac(AuditChain.Canonical(segment));
            await db.SaveChangesAsync();
        }

        // The upgraded hub starts on that database.
        await _hub.DisposeAsync();
        _hub = await HubHost.StartAsync(_connectionString, new Dictionary<string, string?> { ["Hub:Audit:SealInterval"] = "00:01:00" });
        Assert.True((await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest())).Intact);
        await MakeCallsAsync(2);
        await SealAsync();
        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.True(result.Intact, string.Join("; ", result.Problems.Select(p => p.Description)));
        await using (var scope = _hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Storage.CreditDbContext>();
            var keyed = db.AuditSegments.Single(s => s.Segment == 1);
            Assert.Equal(AuditChain.KeyedVersion, keyed.ChainVersion);
            Assert.Equal(chain[^1].ChainPosition + 1, keyed.StartPosition);
            var plainHead = chain[^1].ChainPosition;
            Assert.All(db.AuditEntries.Where(e => e.ChainPosition > plainHead).ToList(), e => Assert.Equal(AuditChain.KeyedVersion, e.ChainVersion));
        }

        // Downgrading the keyed segment to the plain chain is caught: its MAC covers the version.
        await ExecuteAsync("UPDATE audit_segments SET \"ChainVersion\" = 1 WHERE \"Segment\" = 1");
        var downgraded = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());
        Assert.False(downgraded.Intact);
    }

    private async Task MakeCallsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _hub.Records("court").SubmitRecordAsync(TestData.Submission());
        }
    }

    [Fact]
    public async Task VerifyAuditChain_TwoEntriesAltered_ReportsBothNotOnlyTheFirst()
    {
        var chain = await SealedChainAsync(8);

        await ExecuteAsync($"UPDATE audit_entries SET \"Purpose\" = 'first' WHERE \"Sequence\" = {chain[2].Sequence}");
        await ExecuteAsync($"UPDATE audit_entries SET \"Purpose\" = 'second' WHERE \"Sequence\" = {chain[6].Sequence}");
        var result = await Audit().VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Intact);
        Assert.Equal([chain[2].Sequence, chain[6].Sequence], result.Problems.Select(p => p.Sequence));
        Assert.All(result.Problems, p => Assert.Equal(Contracts.Audit.V1.ChainProblemKind.Altered, p.Kind));
        Assert.Equal(result.Problems[0], result.FirstProblem);
        Assert.False(result.MoreProblems);
    }

    /// <summary>Makes calls, seals them, and answers the sealed entries in chain order.</summary>
    private async Task<List<Storage.Entities.AuditEntryEntity>> SealedChainAsync(int calls)
    {
        await MakeCallsAsync(calls);
        await SealAsync();
        await using var scope = _hub.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Storage.CreditDbContext>();
        var chain = db.AuditEntries.Where(e => e.ChainPosition != null).OrderBy(e => e.ChainPosition).ToList();
        Assert.True(chain.Count >= calls);
        return chain;
    }

    private async Task SealAsync()
    {
        var sealer = _hub.Services.GetRequiredService<AuditSealer>();
        await using var scope = _hub.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Storage.CreditDbContext>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (db.AuditEntries.Any(e => e.EntryHash == null) && DateTime.UtcNow < deadline)
        {
            await sealer.SealOnceAsync(CancellationToken.None);
            await Task.Delay(50);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
