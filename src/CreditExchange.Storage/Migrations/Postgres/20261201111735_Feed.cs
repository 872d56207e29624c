using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Feed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "FeedPosition",
                table: "record_events",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "TransactionId",
                table: "record_events",
                type: "bigint",
                nullable: false,
                defaultValueSql: "pg_current_xact_id()::text::bigint");

            // Events written before the feed was numbered on the reading side were serialised by a
            // writer lock, so their insertion order is their commit order: number them so, gap-free.
            migrationBuilder.Sql("""
                UPDATE record_events SET "TransactionId" = 0, "FeedPosition" = numbered.n
                FROM (SELECT "Sequence", row_number() OVER (ORDER BY "Sequence") AS n FROM record_events) AS numbered
                WHERE record_events."Sequence" = numbered."Sequence"
                """);

            migrationBuilder.CreateTable(
                name: "feed_subscriptions",
                columns: table => new
                {
                    AgencyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AcknowledgedSequence = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feed_subscriptions", x => new { x.AgencyId, x.Name });
                });

            migrationBuilder.CreateIndex(
                name: "IX_record_events_FeedPosition",
                table: "record_events",
                column: "FeedPosition",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_record_events_TransactionId_Sequence",
                table: "record_events",
                columns: new[] { "TransactionId", "Sequence" },
                filter: "\"FeedPosition\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "feed_subscriptions");

            migrationBuilder.DropIndex(
                name: "IX_record_events_FeedPosition",
                table: "record_events");

            migrationBuilder.DropIndex(
                name: "IX_record_events_TransactionId_Sequence",
                table: "record_events");

            migrationBuilder.DropColumn(
                name: "FeedPosition",
                table: "record_events");

            migrationBuilder.DropColumn(
                name: "TransactionId",
                table: "record_events");
        }
    }
}
