# frozen_string_literal: true

require_relative "support"

# March 2024 has 31 days: a change on the 11th leaves 21 of them (11 March to 1 April).
RSpec.describe "proration" do
  it "credits the unused days of the old plan and charges them on the new one" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: business)
    invoice = invoice_on(sub.invoices_through(day("2024-03-31")), "2024-03-11")

    # 4 x 12.00 x 21/31 = 32.516 and 4 x 25.00 x 21/31 = 67.742
    expect(lines(invoice)).to eq([
      [:credit, "team", 4, "2024-03-11", "2024-04-01", -3_252],
      [:charge, "business", 4, "2024-03-11", "2024-04-01", 6_774]
    ])
    expect(invoice.total_cents).to eq(3_522)
    expect(invoice.amount_due_cents).to eq(3_522)
  end

  it "issues the proration invoice on the day of the change, between the renewals" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: business)

    expect(issued_on(sub.invoices_through(day("2024-04-01"))))
      .to eq(%w[2024-03-01 2024-03-11 2024-04-01])
  end

  it "bills the next renewal on the new plan" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: business)
    invoice = invoice_on(sub.invoices_through(day("2024-04-01")), "2024-04-01")

    expect(lines(invoice)).to eq([[:renewal, "business", 4, "2024-04-01", "2024-05-01", 10_000]])
  end

  it "prorates a change of seats on the same plan" do
    sub = Billing::Subscription.new(plan: team, seats: 2, starts_on: day("2024-04-10"))
    sub.change(on: day("2024-04-25"), seats: 5)
    invoice = invoice_on(sub.invoices_through(day("2024-05-09")), "2024-04-25")

    # 15 of the period's 30 days left
    expect(lines(invoice)).to eq([
      [:credit, "team", 2, "2024-04-25", "2024-05-10", -1_200],
      [:charge, "team", 5, "2024-04-25", "2024-05-10", 3_000]
    ])
  end

  it "changes plan and seats at once" do
    sub = Billing::Subscription.new(plan: team, seats: 2, starts_on: day("2024-04-10"))
    sub.change(on: day("2024-04-25"), plan: business, seats: 3)
    invoice = invoice_on(sub.invoices_through(day("2024-05-10")), "2024-04-25")

    expect(lines(invoice)).to eq([
      [:credit, "team", 2, "2024-04-25", "2024-05-10", -1_200],
      [:charge, "business", 3, "2024-04-25", "2024-05-10", 3_750]
    ])
    expect(lines(invoice_on(sub.invoices_through(day("2024-05-10")), "2024-05-10")))
      .to eq([[:renewal, "business", 3, "2024-05-10", "2024-06-10", 7_500]])
  end

  it "divides by the days of the period being prorated, 28 in February 2023" do
    sub = Billing::Subscription.new(plan: team, seats: 1, starts_on: day("2023-02-01"))
    sub.change(on: day("2023-02-15"), plan: business)
    invoice = invoice_on(sub.invoices_through(day("2023-02-28")), "2023-02-15")

    expect(lines(invoice).map(&:last)).to eq([-600, 1_250])
  end

  it "prorates over the anchored period after a clamped month" do
    # starts on the 31st: the period from 29 February runs to 31 March, 31 days
    sub = Billing::Subscription.new(plan: team, seats: 3, starts_on: day("2024-01-31"))
    sub.change(on: day("2024-03-10"), plan: business)
    invoice = invoice_on(sub.invoices_through(day("2024-03-30")), "2024-03-10")

    expect(lines(invoice)).to eq([
      [:credit, "team", 3, "2024-03-10", "2024-03-31", -2_439],
      [:charge, "business", 3, "2024-03-10", "2024-03-31", 5_081]
    ])
  end

  it "rounds each line to whole cents, halves up, and a credit to the same amount negated" do
    basic = Billing::Plan.new(code: "basic", seat_price_cents: 1_001)
    sub = Billing::Subscription.new(plan: basic, seats: 1, starts_on: day("2024-04-01"))
    sub.change(on: day("2024-04-16"), seats: 2)
    invoice = invoice_on(sub.invoices_through(day("2024-04-30")), "2024-04-16")

    # 10.01 x 15/30 = 5.005 and 20.02 x 15/30 = 10.01
    expect(lines(invoice).map(&:last)).to eq([-501, 1_001])
    expect(invoice.total_cents).to eq(500)
  end

  it "rounds down below a half cent" do
    sub = Billing::Subscription.new(plan: team, seats: 3, starts_on: day("2024-01-31"))
    sub.change(on: day("2024-02-10"), plan: business)
    invoice = invoice_on(sub.invoices_through(day("2024-02-28")), "2024-02-10")

    # 19 of 29 days: 36.00 x 19/29 = 23.586 and 75.00 x 19/29 = 49.138
    expect(lines(invoice).map(&:last)).to eq([-2_359, 4_914])
  end

  it "credits what the previous change put in place when a period has two changes" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: business)
    sub.change(on: day("2024-03-21"), seats: 6)
    invoice = invoice_on(sub.invoices_through(day("2024-03-31")), "2024-03-21")

    # 11 of 31 days left
    expect(lines(invoice)).to eq([
      [:credit, "business", 4, "2024-03-21", "2024-04-01", -3_548],
      [:charge, "business", 6, "2024-03-21", "2024-04-01", 5_323]
    ])
  end

  it "bills a change on a renewal day in that day's renewal, without proration" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-04-01"), plan: business)
    invoices = sub.invoices_through(day("2024-04-30"))

    expect(issued_on(invoices)).to eq(%w[2024-03-01 2024-04-01])
    expect(lines(invoices.last)).to eq([[:renewal, "business", 4, "2024-04-01", "2024-05-01", 10_000]])
  end

  it "bills a change on the start date in the first invoice" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-01"), seats: 2)

    expect(sub.invoices_through(day("2024-03-31")).map { |invoice| lines(invoice) })
      .to eq([[[:renewal, "team", 2, "2024-03-01", "2024-04-01", 2_400]]])
  end

  it "issues no invoice for a change that keeps the plan and seats" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: Billing::Plan.new(code: "team", seat_price_cents: 1_200))
    sub.change(on: day("2024-03-12"), seats: 4)

    expect(issued_on(sub.invoices_through(day("2024-04-01")))).to eq(%w[2024-03-01 2024-04-01])
  end

  it "prorates the last day of a period as one day" do
    sub = Billing::Subscription.new(plan: team, seats: 1, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-31"), plan: business)
    invoice = invoice_on(sub.invoices_through(day("2024-03-31")), "2024-03-31")

    # 1 of 31 days: 12.00 / 31 = 0.387 and 25.00 / 31 = 0.806
    expect(lines(invoice)).to eq([
      [:credit, "team", 1, "2024-03-31", "2024-04-01", -39],
      [:charge, "business", 1, "2024-03-31", "2024-04-01", 81]
    ])
  end
end

RSpec.describe "proration across two calendar months" do
  it "divides by the period's days, not the days of the month the change falls in" do
    # the period from 15 January 2024 to 15 February has 31 days; 10 are left on 5 February
    sub = Billing::Subscription.new(plan: team, seats: 2, starts_on: day("2024-01-15"))
    sub.change(on: day("2024-02-05"), plan: business)
    invoice = invoice_on(sub.invoices_through(day("2024-02-14")), "2024-02-05")

    # 24.00 x 10/31 = 7.742 and 50.00 x 10/31 = 16.129
    expect(lines(invoice)).to eq([
      [:credit, "team", 2, "2024-02-05", "2024-02-15", -774],
      [:charge, "business", 2, "2024-02-05", "2024-02-15", 1_613]
    ])
  end

  it "charges a change late in a 28-day period by that period's length" do
    # the period from 20 February 2023 to 20 March has 28 days; 5 are left on 15 March
    sub = Billing::Subscription.new(plan: team, seats: 1, starts_on: day("2023-01-20"))
    sub.change(on: day("2023-03-15"), seats: 3)
    invoice = invoice_on(sub.invoices_through(day("2023-03-19")), "2023-03-15")

    # 12.00 x 5/28 = 2.143 and 36.00 x 5/28 = 6.429
    expect(lines(invoice).map(&:last)).to eq([-214, 643])
  end
end
