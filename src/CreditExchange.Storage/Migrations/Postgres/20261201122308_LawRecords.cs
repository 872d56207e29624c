using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreditExchange.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LawRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "DivisionCode",
                table: "records",
                type: "character varying(9)",
                maxLength: 9,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(6)",
                oldMaxLength: 6);

            migrationBuilder.AddColumn<long>(
                name: "ArrearsPaidFen",
                table: "records",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "DerivedColumnsVersion",
                table: "records",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ListingLastDay",
                table: "records",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ListingRemovalGround",
                table: "records",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ListingRemovedOn",
                table: "records",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ProjectArrearsFen",
                table: "records",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "ProjectCode",
                table: "records",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WageArrearsFen",
                table: "records",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "complaints",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordId = table.Column<Guid>(type: "uuid", nullable: false),
                    SourceAgencyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FiledBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FiledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ObjectionId = table.Column<Guid>(type: "uuid", nullable: true),
                    RepairId = table.Column<Guid>(type: "uuid", nullable: true),
                    Ground = table.Column<int>(type: "integer", nullable: false),
                    Grounds = table.Column<string>(type: "text", nullable: false),
                    ReviewDueDate = table.Column<DateOnly>(type: "date", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    ReviewedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ReviewedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Decision = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_complaints", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "record_persons",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PersonKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false),
                    RecordSequence = table.Column<long>(type: "bigint", nullable: false)
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

            migrationBuilder.AlterColumn<string>(
                name: "DivisionCode",
                table: "records",
                type: "character varying(6)",
                maxLength: 6,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(9)",
                oldMaxLength: 9);
        }
    }
}
