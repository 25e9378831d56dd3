# frozen_string_literal: true

require_relative "support"

RSpec.describe "renewals" do
  it "bills the whole period in advance on the start date" do
    sub = Billing::Subscription.new(plan: team, seats: 3, starts_on: day("2024-03-15"))
    invoices = sub.invoices_through(day("2024-03-15"))

    expect(invoices.size).to eq(1)
    expect(lines(invoices.first)).to eq([[:renewal, "team", 3, "2024-03-15", "2024-04-15", 3_600]])
    expect(ledger(invoices)).to eq([["2024-03-15", 3_600, 0, 3_600, 0]])
  end

  it "renews monthly on the start date's day of the month" do
    sub = Billing::Subscription.new(plan: team, seats: 3, starts_on: day("2024-03-15"))

    expect(issued_on(sub.invoices_through(day("2024-06-14"))))
      .to eq(%w[2024-03-15 2024-04-15 2024-05-15])
  end

  it "includes an invoice issued on the day asked for" do
    sub = Billing::Subscription.new(plan: team, seats: 3, starts_on: day("2024-03-15"))

    expect(issued_on(sub.invoices_through(day("2024-05-15"))).last).to eq("2024-05-15")
  end

  it "has no invoices before the subscription starts" do
    sub = Billing::Subscription.new(plan: team, seats: 3, starts_on: day("2024-03-15"))

    expect(sub.invoices_through(day("2024-03-14"))).to eq([])
  end

  it "each renewal line covers up to the next renewal day, exclusive" do
    sub = Billing::Subscription.new(plan: business, seats: 2, starts_on: day("2024-10-05"))
    invoices = sub.invoices_through(day("2025-01-05"))

    expect(invoices.map { |invoice| lines(invoice) }).to eq([
      [[:renewal, "business", 2, "2024-10-05", "2024-11-05", 5_000]],
      [[:renewal, "business", 2, "2024-11-05", "2024-12-05", 5_000]],
      [[:renewal, "business", 2, "2024-12-05", "2025-01-05", 5_000]],
      [[:renewal, "business", 2, "2025-01-05", "2025-02-05", 5_000]]
    ])
  end

  it "bills a start on the 31st on the last day of shorter months" do
    sub = Billing::Subscription.new(plan: team, seats: 1, starts_on: day("2024-01-31"))

    expect(issued_on(sub.invoices_through(day("2024-05-01"))))
      .to eq(%w[2024-01-31 2024-02-29 2024-03-31 2024-04-30])
  end

  it "keeps the 31st as the billing day after a shorter month" do
    sub = Billing::Subscription.new(plan: team, seats: 1, starts_on: day("2024-01-31"))

    expect(issued_on(sub.invoices_through(day("2024-08-31"))))
      .to eq(%w[2024-01-31 2024-02-29 2024-03-31 2024-04-30 2024-05-31 2024-06-30
                2024-07-31 2024-08-31])
  end

  it "keeps the 30th after February in a common year" do
    sub = Billing::Subscription.new(plan: team, seats: 1, starts_on: day("2023-01-30"))
    invoices = sub.invoices_through(day("2023-04-30"))

    expect(issued_on(invoices)).to eq(%w[2023-01-30 2023-02-28 2023-03-30 2023-04-30])
    expect(lines(invoices[1])).to eq([[:renewal, "team", 1, "2023-02-28", "2023-03-30", 1_200]])
  end

  it "renews a 29 February start on the 28th in common years and the 29th after" do
    sub = Billing::Subscription.new(plan: team, seats: 1, starts_on: day("2024-02-29"))

    expect(issued_on(sub.invoices_through(day("2025-04-01"))).last(3))
      .to eq(%w[2025-01-29 2025-02-28 2025-03-29])
  end

  it "rolls over the end of the year" do
    sub = Billing::Subscription.new(plan: team, seats: 2, starts_on: day("2023-11-30"))

    expect(issued_on(sub.invoices_through(day("2024-03-30"))))
      .to eq(%w[2023-11-30 2023-12-30 2024-01-30 2024-02-29 2024-03-30])
  end

  it "still issues zero-amount renewals on a free plan" do
    free = Billing::Plan.new(code: "free", seat_price_cents: 0)
    sub = Billing::Subscription.new(plan: free, seats: 5, starts_on: day("2024-06-01"))

    expect(ledger(sub.invoices_through(day("2024-07-01"))))
      .to eq([["2024-06-01", 0, 0, 0, 0], ["2024-07-01", 0, 0, 0, 0]])
  end
end
