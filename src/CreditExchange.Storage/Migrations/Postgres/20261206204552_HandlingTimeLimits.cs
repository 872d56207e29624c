using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HandlingTimeLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "DecisionDueDate",
                table: "repair_applications",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ReopenedByComplaintId",
                table: "repair_applications",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExtendedFromDueDate",
                table: "objections",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExtensionReason",
                table: "objections",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ReopenedByComplaintId",
                table: "objections",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ReopenedDueDate",
                table: "complaints",
                type: "date",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_repair_applications_State_DecisionDueDate_Sequence",
                table: "repair_applications",
                columns: new[] { "State", "DecisionDueDate", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_repair_applications_State_DecisionDueDate_Sequence",
                table: "repair_applications");

            migrationBuilder.DropColumn(
                name: "DecisionDueDate",
                table: "repair_applications");

            migrationBuilder.DropColumn(
                name: "ReopenedByComplaintId",
                table: "repair_applications");

            migrationBuilder.DropColumn(
                name: "ExtendedFromDueDate",
                table: "objections");

            migrationBuilder.DropColumn(
                name: "ExtensionReason",
                table: "objections");

            migrationBuilder.DropColumn(
                name: "ReopenedByComplaintId",
                table: "objections");

            migrationBuilder.DropColumn(
                name: "ReopenedDueDate",
                table: "complaints");
        }
    }
}
