using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditUnsealedIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_unsealed",
                table: "audit_entries",
                column: "Sequence",
                filter: "\"EntryHash\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_audit_entries_unsealed",
                table: "audit_entries");
        }
    }
}
