namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>
/// Every rule the gate can report, with a stable code. Receipts name the catalogue version that checked a drop,
/// so a sender can tell which rules were in force. Code lists live in schemas/, not here: a new attendance code
/// is a data change.
/// </summary>
public static class RuleCatalogue
{
    public const string Version = "2026.11.3";

    // Agreement gate: the drop is refused whole.
    public static readonly Rule AgreementUnknownProvider = Drop("agreement-unknown-provider",
        "The provider has an information-sharing agreement with a YOT.",
        "Ask the YOT's information officer to register the agreement before sending.");
    public static readonly Rule AgreementDropTypeNotCovered = Drop("agreement-drop-type-not-covered",
        "The provider's agreement covers this drop type.",
        "Check the drop type (the folder you uploaded to); if it is right, the agreement needs extending.");
    public static readonly Rule AgreementNotInForce = Drop("agreement-not-in-force",
        "An agreement covering this drop type is in force on the day the drop arrived.",
        "The agreement has expired or not started; ask the YOT to renew it, then send the file again.");
    public static readonly Rule DropTypeUnknown = Drop("drop-type-unknown",
        "The drop type is one the pipeline knows.",
        "Upload to one of the documented drop-type folders.");

    // Whole-file problems.
    public static readonly Rule FileEmpty = Drop("file-empty",
        "The file has content.", "The file was empty: export it again from your system.");
    public static readonly Rule FileNoRows = Drop("file-no-rows",
        "The file has at least one data row under its header.", "Only a header was sent: export it again with the data.");
    public static readonly Rule FileNotUtf8 = Drop("file-not-utf8",
        "The file is UTF-8 text.",
        "Re-save the file as 'CSV UTF-8 (Comma delimited)': in Excel, File, then Save As, then choose CSV UTF-8. Then send it again.");
    public static readonly Rule FileNotCsv = Drop("file-not-csv",
        "The file is comma-separated text with a header row.",
        "Send a comma-separated CSV file with one header row; spreadsheets and other formats cannot be read.");
    public static readonly Rule RequiredColumnMissing = Drop("required-column-missing",
        "Every required column of the drop type is in the header.",
        "Add the missing column to the export; its name must match the published schema.");
    public static readonly Rule RowErrorThresholdExceeded = Drop("row-error-threshold-exceeded",
        "The share of rows with errors is within the agreement's threshold.",
        "Too many rows had errors for the file to be used: fix the errors listed and send the whole file again.");
    public static readonly Rule RuleFailed = Drop("rule-failed",
        "Every rule ran to completion.",
        "The pipeline could not check this file; nothing was stored. Contact the YOT's information officer.");
    public static readonly Rule LineTooLong = Drop("line-too-long",
        "No row of the file is longer than 1 MB (1,048,576 characters).",
        "Open the file at the line named: it is not a CSV export, or a quote (\") opened there is never closed, " +
        "so the rest of the file reads as one cell. Export the file again.");
    public static readonly Rule QuoteInvalid = Drop("csv-quote-invalid",
        "Every quoted cell is closed, and a quote inside a quoted cell is doubled (\"\").",
        "Look at the row named: close the quote, or write a quote inside a cell as two quotes (\"\"). " +
        "Exporting again from your system usually fixes this.");
    public static readonly Rule HeaderMissing = Drop("header-missing",
        "Line 1 of the file is the header row naming the columns: not blank, not a row of data, " +
        "and naming at least one column of the drop type.",
        "Put the column names on line 1: delete any blank lines above them, " +
        "or export the file again with its header line if it was left out, and send it again.");
    public static readonly Rule HeaderDuplicateColumn = Drop("header-duplicate-column",
        "Each column name appears once in the header (names are compared ignoring upper/lower case).",
        "Remove or rename the repeated column so each name appears once, and send the file again.");

    // Row rules.
    public static readonly Rule RaggedRow = RowRule("row-column-count",
        "The row has as many cells as the header.", "Check for a stray or missing comma, or an unclosed quote.");
    public static readonly Rule RequiredValueMissing = RowRule("required-value-missing",
        "A required cell is filled in.", "Fill in the cell; it cannot be left empty.");
    public static readonly Rule DateInvalid = RowRule("date-invalid",
        "A date is a real date written YYYY-MM-DD or DD/MM/YYYY.", "Write the date as YYYY-MM-DD or DD/MM/YYYY.");
    public static readonly Rule DateOfBirthImpossible = RowRule("date-of-birth-impossible",
        "A date of birth is not in the future and gives an age of 25 or less on the day the drop arrived.",
        "Check the date of birth in your system.");
    public static readonly Rule FlagInvalid = RowRule("flag-invalid",
        "A yes/no cell is Y or N (or true/false, 1/0).", "Write Y or N, or leave the cell empty if not known.");
    public static readonly Rule IntegerInvalid = RowRule("integer-invalid",
        "A whole-number cell holds a whole number.", "Write a whole number without units or spaces.");
    public static readonly Rule NumberInvalid = RowRule("number-invalid",
        "A number cell holds a number.", "Write a number without units or spaces.");
    public static readonly Rule TextTooLong = RowRule("text-too-long",
        "A text cell is no longer than its field allows.", "Shorten the value.");
    public static readonly Rule CodeUnknown = RowRule("code-unknown",
        "A coded cell holds one of the published codes (the field's own rule name is used where the schema gives one).",
        "Use one of the codes listed in the drop type's schema.");
    public static readonly Rule UpnFormat = RowRule("upn-format",
        "A UPN is 13 characters: a letter, 11 digits, then a digit or letter.", "Copy the UPN from your MIS exactly.");
    public static readonly Rule UpnCheckLetter = RowRule("upn-check-letter",
        "A UPN's first letter matches its check letter.", "The UPN is mistyped: copy it from your MIS exactly.");
    public static readonly Rule UlnFormat = RowRule("uln-format",
        "A ULN is 10 digits.", "Copy the ULN from your MIS or the Learning Records Service exactly.");
    public static readonly Rule UlnCheckDigit = RowRule("uln-check-digit",
        "A ULN's last digit matches its check digit (ESFA DD01).", "The ULN is mistyped: check it against the Learning Records Service.");
    public static readonly Rule UrnFormat = RowRule("urn-format",
        "A URN is 6 digits.", "Use the school's 6-digit unique reference number.");
    public static readonly Rule UkprnFormat = RowRule("ukprn-format",
        "A UKPRN is 8 digits starting with 1.", "Use the provider's 8-digit UK provider reference number.");
    public static readonly Rule CaseRefFormat = RowRule("yot-case-ref-format",
        "A YOT case reference is 1 to 30 characters.", "Use the case reference from the YOT's case management system.");
    // A query: the row is kept, only the postcode district is lost.
    public static readonly Rule PostcodeFormat = RowRule("postcode-format",
        "A postcode is a UK postcode.", "Check the postcode, or leave it empty if not known.") with { Severity = RuleSeverity.Query };
    public static readonly Rule EndBeforeStart = RowRule("end-before-start",
        "An end date is not before its start date.", "Check both dates in your system.");
    public static readonly Rule DateInFuture = RowRule("date-in-future",
        "A date that records something that has happened is not after the day the drop arrived.",
        "Check the date in your system; future events cannot be sent yet.");
    public static readonly Rule DateOnWeekend = RowRule("date-on-weekend",
        "A school session date is a weekday.", "Check the date: schools record no sessions on Saturdays or Sundays.");
    public static readonly Rule ValueOutOfRange = RowRule("value-out-of-range",
        "A number is within the range its field allows (the field's own rule name is used where the schema gives one).",
        "Check the number in your system.");
    // A query: the YOT works with children of 9 (prevention) and young people who turn 18 during an order, so age is a
    // KPI filter, not a reason to refuse (the drop contract). The sender is asked to check the date of birth.
    public static readonly Rule AgeOutsideYouthJusticeRange = RowRule("age-outside-youth-justice-range",
        "A child's date of birth gives an age of 10 to 17 on the day the drop arrived.",
        "Check the date of birth; if it is right (a prevention case, or a young person now 18), nothing needs doing.")
        with { Severity = RuleSeverity.Query };

    public static IReadOnlyList<Rule> All { get; } =
        typeof(RuleCatalogue).GetFields().Where(f => f.FieldType == typeof(Rule)).Select(f => (Rule)f.GetValue(null)!).ToArray();

    private static Rule Drop(string code, string checks, string fix) => new(code, RuleScope.Drop, RuleSeverity.Error, checks, fix);
    private static Rule RowRule(string code, string checks, string fix) => new(code, RuleScope.Row, RuleSeverity.Error, checks, fix);
}
