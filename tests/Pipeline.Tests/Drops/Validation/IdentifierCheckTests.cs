using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Tests.Drops.Validation;

public sealed class IdentifierCheckTests
{
    [Fact]
    public void Upn_check_letter_worked_by_hand()
    {
        // 8·2 + 0·3 + 1·4 + 2·5 + 0·6 + 0·7 + 1·8 + 0·9 + 1·10 + 0·11 + 0·12 + 1·13 = 61; 61 mod 23 = 15 → 'R'
        // (ABCDEFGHJKLMNPQRTUVWXYZ: I, O and S are never used).
        Assert.Equal('R', UpnCheck.CheckLetter("801200101001"));
        Assert.Equal(UpnCheck.Result.Valid, UpnCheck.Check("R801200101001"));
        Assert.Equal(UpnCheck.Result.BadCheckLetter, UpnCheck.Check("Q801200101001"));
    }

    [Fact]
    public void Temporary_upn_with_a_letter_serial_uses_the_letter_value()
    {
        // As above but the serial ends in 'B', whose value (its index in the table) is 1, like the digit it replaces.
        Assert.Equal(UpnCheck.Result.Valid, UpnCheck.Check("R80120010100B"));
        // 'C' (value 2) adds 13 → 74 mod 23 = 5 → 'F'.
        Assert.Equal('F', UpnCheck.CheckLetter("80120010100C"));
    }

    [Theory]
    [InlineData("R80120010100")]      // 12 characters
    [InlineData("I801200101001")]     // I is never a check letter
    [InlineData("R8012001010O1")]     // a letter in the middle
    [InlineData("R80120010100S")]     // S is never used
    public void Malformed_upns_are_format_errors(string upn) =>
        Assert.Equal(UpnCheck.Result.BadFormat, UpnCheck.Check(upn));

    [Fact]
    public void Uln_check_digit_worked_by_hand()
    {
        // 9·(10+9+…+2) = 486; 486 mod 11 = 2; check digit 10 − 2 = 8.
        Assert.Equal(UlnCheck.Result.Valid, UlnCheck.Check("9999999998"));
        Assert.Equal(UlnCheck.Result.BadCheckDigit, UlnCheck.Check("9999999999"));
        // 1·10+2·9+3·8+4·7+5·6+6·5+7·4+8·3+9·2 = 210; 210 mod 11 = 1 → 9.
        Assert.Equal(UlnCheck.Result.Valid, UlnCheck.Check("1234567899"));
        Assert.Equal(UlnCheck.Result.BadFormat, UlnCheck.Check("12345"));
    }

    [Fact]
    public void A_uln_whose_remainder_is_zero_can_never_be_valid()
    {
        // Nine zeros sum to 0, remainder 0: DD01 says no check digit makes that valid.
        Assert.Null(UlnCheck.CheckDigit("000000000"));
        Assert.Equal(UlnCheck.Result.BadCheckDigit, UlnCheck.Check("0000000000"));
    }
}
