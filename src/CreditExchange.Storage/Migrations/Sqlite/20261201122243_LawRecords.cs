using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LawRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ArrearsPaidFen",
                table: "records",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "DerivedColumnsVersion",
                table: "records",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ListingLastDay",
                table: "records",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ListingRemovalGround",
                table: "records",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ListingRemovedOn",
                table: "records",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ProjectArrearsFen",
                table: "records",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "ProjectCode",
                table: "records",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WageArrearsFen",
                table: "records",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "complaints",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourceAgencyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FiledBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FiledAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ObjectionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RepairId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Ground = table.Column<int>(type: "INTEGER", nullable: false),
                    Grounds = table.Column<string>(type: "TEXT", nullable: false),
                    ReviewDueDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    ReviewedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReviewedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    Decision = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_complaints", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "record_persons",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false),
                    RecordSequence = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_record_persons", x => x.Id);
                    table.ForeignKey(
                        name: "FK_record_persons_records_RecordSequence",
                        column: x => x.RecordSequence,
                        principalTable: "records",
                        principalColumn: "Sequence",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_records_ProjectCode_DecisionDate_Sequence",
                table: "records",
                columns: new[] { "ProjectCode", "DecisionDate", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_complaints_Id",
                table: "complaints",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_complaints_RecordId",
                table: "complaints",
                column: "RecordId");

            migrationBuilder.CreateIndex(
                name: "IX_complaints_State_ReviewDueDate_Sequence",
                table: "complaints",
                columns: new[] { "State", "ReviewDueDate", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_complaints_open_objection",
                table: "complaints",
                column: "ObjectionId",
                unique: true,
                filter: "\"State\" = 1 AND \"ObjectionId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_complaints_open_repair",
                table: "complaints",
                column: "RepairId",
                unique: true,
                filter: "\"State\" = 1 AND \"RepairId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_record_persons_PersonKey",
                table: "record_persons",
                column: "PersonKey");

            migrationBuilder.CreateIndex(
                name: "IX_record_persons_RecordSequence",
                table: "record_persons",
                column: "RecordSequence");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "complaints");

            migrationBuilder.DropTable(
                name: "record_persons");

            migrationBuilder.DropIndex(
                name: "IX_records_ProjectCode_DecisionDate_Sequence",
                table: "records");

            migrationBuilder.DropColumn(
                name: "ArrearsPaidFen",
                table: "records");

            migrationBuilder.DropColumn(
                name: "DerivedColumnsVersion",
                table: "records");

            migrationBuilder.DropColumn(
                name: "ListingLastDay",
                table: "records");

            migrationBuilder.DropColumn(
                name: "ListingRemovalGround",
                table: "records");

            migrationBuilder.DropColumn(
                name: "ListingRemovedOn",
                table: "records");

            migrationBuilder.DropColumn(
                name: "ProjectArrearsFen",
                table: "records");

            migrationBuilder.DropColumn(
                name: "ProjectCode",
                table: "records");

            migrationBuilder.DropColumn(
                name: "WageArrearsFen",
                table: "records");
        }
    }
}
