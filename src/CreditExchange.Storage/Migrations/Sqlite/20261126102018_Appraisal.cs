using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Appraisal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ArrearsFen",
                table: "records",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "appraisal_checks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgencyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CheckedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    AppraisalType = table.Column<int>(type: "INTEGER", nullable: false),
                    CaseReference = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RuleSetVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CheckDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CandidateCount = table.Column<int>(type: "INTEGER", nullable: false),
                    IneligibleCount = table.Column<int>(type: "INTEGER", nullable: false),
                    EligibleCount = table.Column<int>(type: "INTEGER", nullable: false),
                    PriorityCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_appraisal_checks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "appraisal_check_candidates",
                columns: table => new
                {
                    CheckId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    SubjectKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Decision = table.Column<int>(type: "INTEGER", nullable: false),
                    ObjectionPending = table.Column<bool>(type: "INTEGER", nullable: false),
                    DecidingRecordIds = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_appraisal_check_candidates", x => new { x.CheckId, x.Index });
                    table.ForeignKey(
                        name: "FK_appraisal_check_candidates_appraisal_checks_CheckId",
                        column: x => x.CheckId,
                        principalTable: "appraisal_checks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_records_DecisionDate",
                table: "records",
                column: "DecisionDate");

            migrationBuilder.CreateIndex(
                name: "IX_appraisal_check_candidates_SubjectKey",
                table: "appraisal_check_candidates",
                column: "SubjectKey");

            migrationBuilder.CreateIndex(
                name: "IX_appraisal_checks_AgencyId_CheckedAt",
                table: "appraisal_checks",
                columns: new[] { "AgencyId", "CheckedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "appraisal_check_candidates");

            migrationBuilder.DropTable(
                name: "appraisal_checks");

            migrationBuilder.DropIndex(
                name: "IX_records_DecisionDate",
                table: "records");

            migrationBuilder.DropColumn(
                name: "ArrearsFen",
                table: "records");
        }
    }
}
