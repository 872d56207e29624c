using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditExchange.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Standing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "EffectLastDay",
                table: "records",
                type: "TEXT",
                nullable: true);

            // Rows accepted before periods of effect existed: marked for the start-up backfill
            // (RecordEffectBackfill), which reads each one's content to fix its period.
            migrationBuilder.Sql("UPDATE records SET \"EffectLastDay\" = '0001-01-01'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EffectLastDay",
                table: "records");
        }
    }
}
