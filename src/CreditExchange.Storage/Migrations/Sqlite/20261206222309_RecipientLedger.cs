using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RecipientLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "feed_acknowledgements",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AgencyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Subscription = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feed_acknowledgements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "record_deliveries",
                columns: table => new
                {
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgencyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FirstVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstDeliveredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LatestVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    LatestDeliveredAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_record_deliveries", x => new { x.RecordId, x.AgencyId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_feed_acknowledgements_AgencyId_Sequence",
                table: "feed_acknowledgements",
                columns: new[] { "AgencyId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_record_deliveries_AgencyId",
                table: "record_deliveries",
                column: "AgencyId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "feed_acknowledgements");

            migrationBuilder.DropTable(
                name: "record_deliveries");
        }
    }
}
