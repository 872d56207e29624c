using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SubjectFactsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_records_SubjectKey_DecisionDate_Sequence",
                table: "records");

            migrationBuilder.CreateIndex(
                name: "IX_records_SubjectKey_DecisionDate_Sequence",
                table: "records",
                columns: new[] { "SubjectKey", "DecisionDate", "Sequence" })
                .Annotation("Npgsql:IndexInclude", new[] { "Status", "Id", "Version", "AgencyId", "Category", "Severity", "EffectLastDay", "Disclosure", "DisclosureMaximumEnd" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_records_SubjectKey_DecisionDate_Sequence",
                table: "records");

            migrationBuilder.CreateIndex(
                name: "IX_records_SubjectKey_DecisionDate_Sequence",
                table: "records",
                columns: new[] { "SubjectKey", "DecisionDate", "Sequence" });
        }
    }
}
