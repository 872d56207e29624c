using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EffectEnd : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "EffectEndRecorded",
                table: "records",
                type: "TEXT",
                nullable: true);

            // A listing the court removed was lifted by its removal: its end is recorded. Other ended periods get their
            // EFFECT_ENDED (the feed's LIFT) at the first sweep after the upgrade.
            migrationBuilder.Sql("UPDATE records SET \"EffectEndRecorded\" = \"EffectLastDay\" WHERE \"ListingRemovedOn\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_records_effect_end_unrecorded",
                table: "records",
                column: "EffectLastDay",
                filter: "\"EffectLastDay\" IS NOT NULL AND (\"EffectEndRecorded\" IS NULL OR \"EffectEndRecorded\" <> \"EffectLastDay\")");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_records_effect_end_unrecorded",
                table: "records");

            migrationBuilder.DropColumn(
                name: "EffectEndRecorded",
                table: "records");
        }
    }
}
