program-status = { $status ->
    [draft] черновик у наставника
    [proposed] ждёт подтверждения наставляемого
   *[confirmed] подтверждена
 }
program-months = { $months ->
    [one] { $months } месяц
    [few] { $months } месяца
   *[other] { $months } месяцев
 }
program-term = с { $start }, { $months ->
    [one] { $months } месяц
    [few] { $months } месяца
   *[other] { $months } месяцев
 }
program-doc-number = №
program-doc-topic = Тема
program-doc-content = Содержание
program-doc-deadline = Срок
program-doc-result = Ожидаемый результат
