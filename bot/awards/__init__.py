"""Awards (issue 14): the shortlists «Наставник года» and «Лучшая пара» scored from the year's
data, the participants' vote on a survey campaign, the winners and their thank-you letters."""
