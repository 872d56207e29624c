using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditCheckpoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    Number = table.Column<long>(type: "bigint", nullable: false),
                    ChainSegment = table.Column<int>(type: "integer", nullable: false),
                    ChainPosition = table.Column<long>(type: "bigint", nullable: false),
                    EntryHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Statement = table.Column<byte[]>(type: "bytea", nullable: false),
                    KeyId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Signature = table.Column<byte[]>(type: "bytea", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StampStatus = table.Column<int>(type: "integer", nullable: false),
                    TimestampToken = table.Column<byte[]>(type: "bytea", nullable: true),
                    StampedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_checkpoints", x => x.Number);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_checkpoints_ChainSegment_ChainPosition",
                table: "audit_checkpoints",
                columns: new[] { "ChainSegment", "ChainPosition" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_checkpoints_unstamped",
                table: "audit_checkpoints",
                column: "Number",
                filter: "\"StampStatus\" = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_checkpoints");
        }
    }
}
