using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "request_signatures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AgencyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Nonce = table.Column<byte[]>(type: "BLOB", maxLength: 64, nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SignedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    RequestSha256 = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    SigningInput = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Signature = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CertificateSha256 = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_request_signatures", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "signing_certificates",
                columns: table => new
                {
                    Sha256 = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Der = table.Column<byte[]>(type: "BLOB", nullable: false),
                    FirstUsedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
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
