using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KeyedAuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Segments begun by earlier hubs, and entries they sealed, are the plain SHA-256 chain (version 1).
            migrationBuilder.AddColumn<int>(
                name: "ChainVersion",
                table: "audit_segments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "ChainVersion",
                table: "audit_entries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.Sql("UPDATE audit_entries SET \"ChainVersion\" = 1 WHERE \"EntryHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_Mac",
                table: "audit_entries",
                column: "Mac");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_audit_entries_Mac",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "ChainVersion",
                table: "audit_segments");

            migrationBuilder.DropColumn(
                name: "ChainVersion",
                table: "audit_entries");
        }
    }
}
