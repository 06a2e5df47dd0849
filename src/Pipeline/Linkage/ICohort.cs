namespace YouthJustice.Pipeline.Linkage;

/// <summary>The children a YOT knows, looked up by a school or college identifier's pseudonym.</summary>
public interface ICohort
{
    /// <summary>The child pseudonym of a pupil (by UPN pseudonym), or null when the pupil is not in the cohort.</summary>
    string? ChildOfPupil(string pupilId);
}
