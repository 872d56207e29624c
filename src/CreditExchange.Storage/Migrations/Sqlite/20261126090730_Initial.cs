using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agencies",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CertificateSubject = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CertificateUri = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Categories = table.Column<string>(type: "TEXT", nullable: false),
                    Domains = table.Column<string>(type: "TEXT", nullable: false),
                    MayQuery = table.Column<bool>(type: "INTEGER", nullable: false),
                    Suspended = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agencies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "records",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgencyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SourceRecordId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ContentHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    SubjectKind = table.Column<int>(type: "INTEGER", nullable: false),
                    SubjectKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DivisionCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Category = table.Column<int>(type: "INTEGER", nullable: false),
                    Severity = table.Column<int>(type: "INTEGER", nullable: false),
                    Domain = table.Column<int>(type: "INTEGER", nullable: false),
                    Disclosure = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    DecisionDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AcceptedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_records", x => x.Sequence);
                });

            migrationBuilder.CreateIndex(
                name: "IX_records_AgencyId_SourceRecordId",
                table: "records",
                columns: new[] { "AgencyId", "SourceRecordId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_records_Id",
                table: "records",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_records_SubjectKey_DecisionDate_Sequence",
                table: "records",
                columns: new[] { "SubjectKey", "DecisionDate", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agencies");

            migrationBuilder.DropTable(
                name: "records");
        }
    }
}
