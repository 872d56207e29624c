using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreditExchange.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RequestSignatures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RequestSignatureId",
                table: "record_versions",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "request_signatures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AgencyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Nonce = table.Column<byte[]>(type: "bytea", maxLength: 64, nullable: false),
                    Method = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RequestSha256 = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    SigningInput = table.Column<byte[]>(type: "bytea", nullable: false),
                    Signature = table.Column<byte[]>(type: "bytea", nullable: false),
                    CertificateSha256 = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_request_signatures", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "signing_certificates",
                columns: table => new
                {
                    Sha256 = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Der = table.Column<byte[]>(type: "bytea", nullable: false),
                    FirstUsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signing_certificates", x => x.Sha256);
                });

            migrationBuilder.CreateIndex(
                name: "IX_request_signatures_AgencyId_Nonce",
                table: "request_signatures",
                columns: new[] { "AgencyId", "Nonce" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "request_signatures");

            migrationBuilder.DropTable(
                name: "signing_certificates");

            migrationBuilder.DropColumn(
                name: "RequestSignatureId",
                table: "record_versions");
        }
    }
}
